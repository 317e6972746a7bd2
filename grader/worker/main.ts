/**
 * `npm run grader`: a grader worker process. Run one per core budget on as many hosts as wanted;
 * each takes GRADER_CONCURRENCY jobs at a time (default 1) from the BullMQ queue on REDIS_URL,
 * trains each in a child process, and reconciles the queue with Postgres on start and periodically.
 * SIGTERM/SIGINT: stop taking jobs, give the running ones GRADER_SHUTDOWN_GRACE_MS to finish, hand
 * back what is left, close Redis and the database, exit.
 */
import { closeDb, getDb } from "@/db";
import { env } from "@/env";
import { createGradeQueue } from "@/grader/queue/grade-queue";
import { MAX_GRADING_ATTEMPTS } from "@/grader/queue/grade-job";
import { assertNoEviction, createRedisConnection, RedisEvictionPolicyError } from "@/grader/queue/redis-connection";
import { createGradeWorker } from "./bullmq-worker";
import { gradeInChild } from "./grade-claimed-submission";
import { startEmbeddedRunner } from "./embedded-runner";
import { startReconciler } from "./reconciler";
import { newWorkerId } from "./worker-id";

/** After the grace period, handed-back jobs get this long to reach Redis before we exit anyway. */
const HAND_BACK_MS = 10_000;

function onSignals(handler: (signal: string) => void): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => handler(signal));
}

/** Postgres without Redis: the embedded runner, standalone (several may share one Postgres). */
async function runEmbedded(): Promise<void> {
  const runner = startEmbeddedRunner({
    db: await getDb(),
    concurrency: env.GRADER_CONCURRENCY ?? 1,
    livenessMs: env.GRADER_LIVENESS_MS,
    grade: gradeInChild,
  });
  onSignals(async (signal) => {
    console.log(`[grader] ${signal}: finishing the running job (grace ${env.GRADER_SHUTDOWN_GRACE_MS} ms)`);
    await runner.stop(env.GRADER_SHUTDOWN_GRACE_MS);
    await closeDb();
    process.exit(0);
  });
}

async function runBullmq(redisUrl: string): Promise<void> {
  const connection = createRedisConnection(redisUrl, "worker");
  connection.on("error", (err) => console.error("[grader] redis error:", err.message));
  try {
    await assertNoEviction(connection);
  } catch (e) {
    connection.disconnect();
    if (e instanceof RedisEvictionPolicyError) {
      console.error(`[grader] refusing to start: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const db = await getDb();
  const workerId = newWorkerId("bullmq");
  const shutdown = new AbortController();
  const queue = createGradeQueue({ redisUrl, prefix: env.GRADER_QUEUE_PREFIX });
  const worker = createGradeWorker({
    db,
    connection,
    prefix: env.GRADER_QUEUE_PREFIX,
    workerId,
    concurrency: env.GRADER_CONCURRENCY ?? 1,
    livenessMs: env.GRADER_LIVENESS_MS,
    grade: gradeInChild,
    shutdownSignal: shutdown.signal,
  });
  const reconciler = startReconciler({
    db,
    queue,
    livenessMs: env.GRADER_LIVENESS_MS,
    maxAttempts: MAX_GRADING_ATTEMPTS,
    intervalMs: env.GRADER_LIVENESS_MS,
  });
  console.log(
    `[grader] ${workerId} ready: queue "${env.GRADER_QUEUE_PREFIX}", concurrency ${env.GRADER_CONCURRENCY ?? 1}`,
  );

  onSignals(async (signal) => {
    const grace = env.GRADER_SHUTDOWN_GRACE_MS;
    console.log(`[grader] ${signal}: no new jobs; the running one has ${grace} ms to finish`);
    // Last resort: whatever hangs, the process ends; the row is then requeued by a reconciler.
    setTimeout(() => {
      console.error("[grader] shutdown did not complete in time; exiting");
      process.exit(1);
    }, grace + HAND_BACK_MS).unref();
    const graceTimer = setTimeout(() => shutdown.abort("grace period over"), grace);
    await reconciler.stop();
    await worker.close(); // waits for the running job: finished, or handed back after the grace period
    clearTimeout(graceTimer);
    await queue.close();
    await closeDb();
    console.log("[grader] stopped cleanly");
    process.exit(0);
  });
}

async function main(): Promise<void> {
  if (env.REDIS_URL) return runBullmq(env.REDIS_URL);
  if (env.DATABASE_URL) return runEmbedded();
  console.error(
    "[grader] neither REDIS_URL nor DATABASE_URL is set. With the embedded database, grading runs inside " +
      "the web server (`npm start`); a separate grader needs Redis (BullMQ) or at least a shared Postgres.",
  );
  process.exit(2);
}

main().catch((e) => {
  console.error("[grader] failed to start:", e);
  process.exit(1);
});
