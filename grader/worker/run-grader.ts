import { closeDb, getDb } from "@/db";
import { createGradeQueue } from "@/grader/queue/grade-queue";
import { MAX_GRADING_ATTEMPTS } from "@/grader/queue/grade-job";
import { assertNoEviction, createRedisConnection, RedisEvictionPolicyError } from "@/grader/queue/redis-connection";
import { createGradeWorker } from "./bullmq-worker";
import type { ChildGrader } from "./child-process-grader";
import { startEmbeddedRunner } from "./embedded-runner";
import { startReconciler } from "./reconciler";
import { newWorkerId } from "./worker-id";

export interface GraderProcessConfig {
  redisUrl?: string;
  databaseUrl?: string;
  prefix: string;
  concurrency: number;
  livenessMs: number;
  shutdownGraceMs: number;
  /** Runs the training (child processes); closed on shutdown. */
  grader: ChildGrader;
}

/**
 * After the grace period, handed-back jobs get this long to reach Postgres and Redis before the
 * process exits anyway; with the default grace (25 s) the whole stop fits in a 30 s SIGKILL timeout
 * (Kubernetes' default terminationGracePeriodSeconds).
 */
const HAND_BACK_MS = 5_000;

/** Exit codes a supervisor (systemd, Kubernetes) can tell apart. */
export const EXIT_MISCONFIGURED = 2;

function onSignals(handler: (signal: string) => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      handler(signal).catch((e) => {
        console.error("[grader] shutdown failed:", e);
        process.exit(1);
      });
    });
  }
}

/** Postgres without Redis: the embedded runner, standalone (several may share one Postgres). */
async function runEmbedded(config: GraderProcessConfig): Promise<void> {
  const runner = startEmbeddedRunner({
    db: await getDb(),
    concurrency: config.concurrency,
    livenessMs: config.livenessMs,
    grade: config.grader.grade,
  });
  config.grader.warm(config.concurrency);
  onSignals(async (signal) => {
    console.log(`[grader] ${signal}: finishing the running job (grace ${config.shutdownGraceMs} ms)`);
    await runner.stop(config.shutdownGraceMs);
    await config.grader.close();
    await closeDb();
    process.exit(0);
  });
}

async function runBullmq(config: GraderProcessConfig, redisUrl: string): Promise<void> {
  const connection = createRedisConnection(redisUrl, "worker");
  connection.on("error", (err) => console.error("[grader] redis error:", err.message));
  try {
    await assertNoEviction(connection);
  } catch (e) {
    connection.disconnect();
    if (e instanceof RedisEvictionPolicyError) {
      console.error(`[grader] refusing to start: ${e.message}`);
      process.exit(EXIT_MISCONFIGURED);
    }
    throw e;
  }
  const db = await getDb();
  const workerId = newWorkerId("bullmq");
  const shutdown = new AbortController();
  const queue = createGradeQueue({ redisUrl, prefix: config.prefix });
  const worker = createGradeWorker({
    db,
    connection,
    prefix: config.prefix,
    workerId,
    concurrency: config.concurrency,
    livenessMs: config.livenessMs,
    grade: config.grader.grade,
    shutdownSignal: shutdown.signal,
  });
  const reconciler = startReconciler({
    db,
    queue,
    livenessMs: config.livenessMs,
    maxAttempts: MAX_GRADING_ATTEMPTS,
    intervalMs: config.livenessMs,
  });
  config.grader.warm(config.concurrency);
  await worker.waitUntilReady();
  console.log(`[grader] ${workerId} ready: queue prefix "${config.prefix}", concurrency ${config.concurrency}`);

  onSignals(async (signal) => {
    const grace = config.shutdownGraceMs;
    console.log(`[grader] ${signal}: taking no new jobs; a running one has ${grace} ms to finish`);
    // Last resort: whatever hangs, the process ends; its row is then requeued by a reconciler.
    setTimeout(() => {
      console.error("[grader] shutdown did not complete in time; exiting");
      process.exit(1);
    }, grace + HAND_BACK_MS).unref();
    const graceTimer = setTimeout(() => shutdown.abort("grace period over"), grace);
    await reconciler.stop();
    await worker.close(); // waits for running jobs: finished, or handed back once the grace is over
    clearTimeout(graceTimer);
    await config.grader.close();
    await queue.close();
    // BullMQ leaves a connection it was handed open; it is ours to close.
    await connection.quit();
    await closeDb();
    console.log("[grader] stopped cleanly");
    process.exit(0);
  });
}

/**
 * A grader process: a BullMQ worker when Redis is configured (refusing a Redis that may evict
 * keys), else a standalone embedded runner on a shared Postgres. Stops cleanly on SIGTERM/SIGINT.
 */
export async function runGraderProcess(config: GraderProcessConfig): Promise<void> {
  if (config.redisUrl) return runBullmq(config, config.redisUrl);
  if (config.databaseUrl) return runEmbedded(config);
  console.error(
    "[grader] neither REDIS_URL nor DATABASE_URL is set. With the embedded database, grading runs inside " +
      "the web server (`npm start`); a separate grader needs Redis (BullMQ) or at least a shared Postgres.",
  );
  process.exit(EXIT_MISCONFIGURED);
}
