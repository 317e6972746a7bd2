import { getDb } from "@/db";
import { env } from "@/env";
import { startPassbackRunner, type PassbackRunner } from "./passback-runner";

const globalForPassback = globalThis as unknown as { tgLtiPassback?: PassbackRunner };

/** Next.js sets NEXT_PHASE to this while `next build` runs. */
const BUILD_PHASE = "phase-production-build";

function keep(runner: PassbackRunner): void {
  globalForPassback.tgLtiPassback = runner;
  const stop = () => void runner.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * Starts LTI grade passback in the web process, once: score-change jobs through BullMQ when
 * REDIS_URL is set, in process otherwise (the embedded default), and the slow reconciliation
 * (LTI_RECONCILE_INTERVAL_MS). Nothing runs during `next build`.
 */
export async function startLtiPassback(): Promise<void> {
  if (env.NEXT_PHASE === BUILD_PHASE || globalForPassback.tgLtiPassback) return;
  keep(
    startPassbackRunner({
      db: await getDb(),
      redisUrl: env.REDIS_URL,
      prefix: env.GRADER_QUEUE_PREFIX,
      reconcileIntervalMs: env.LTI_RECONCILE_INTERVAL_MS,
    }),
  );
}

/**
 * In a grader process (`npm run grader`), where completed reports are written: with Redis it only
 * enqueues their score changes (the web process sends them); without Redis (a standalone embedded
 * grader on Postgres) it sends them itself. The reconciliation stays with the web process.
 */
export async function startLtiPassbackInGrader(): Promise<void> {
  // Neither set: this grader refuses to start (run-grader.ts), and must not open the web server's embedded database.
  if (globalForPassback.tgLtiPassback || (!env.REDIS_URL && !env.DATABASE_URL)) return;
  keep(
    startPassbackRunner({
      db: await getDb(),
      redisUrl: env.REDIS_URL,
      prefix: env.GRADER_QUEUE_PREFIX,
      reconcileIntervalMs: 0,
      consume: !env.REDIS_URL,
    }),
  );
}
