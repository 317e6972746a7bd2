import { getDb } from "@/db";
import { env } from "@/env";
import { startPassbackRunner, type PassbackRunner } from "./passback-runner";

const globalForPassback = globalThis as unknown as { tgLtiPassback?: PassbackRunner };

/** Next.js sets NEXT_PHASE to this while `next build` runs. */
const BUILD_PHASE = "phase-production-build";

/**
 * Starts LTI grade passback in the web process, once: through BullMQ when REDIS_URL is set, in
 * process otherwise (the embedded default). Nothing runs during `next build`.
 */
export async function startLtiPassback(): Promise<void> {
  if (env.NEXT_PHASE === BUILD_PHASE || globalForPassback.tgLtiPassback) return;
  const runner = startPassbackRunner({
    db: await getDb(),
    redisUrl: env.REDIS_URL,
    prefix: env.GRADER_QUEUE_PREFIX,
    intervalMs: env.LTI_PASSBACK_INTERVAL_MS,
  });
  globalForPassback.tgLtiPassback = runner;
  const stop = () => void runner.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
