/**
 * `npm run grader`: a grader worker process. Run as many as wanted, on as many hosts; each takes
 * GRADER_CONCURRENCY jobs at a time (default: one per core) from the BullMQ queue on REDIS_URL, trains each in
 * a child process, and reconciles the queue with Postgres on start and periodically.
 * SIGTERM/SIGINT: stop taking jobs, give running ones GRADER_SHUTDOWN_GRACE_MS to finish, hand back
 * what is left, close Redis and the database, exit.
 */
import { env } from "@/env";
import { createChildGrader } from "./child-process-grader";
import { runGraderProcess } from "./run-grader";
import { defaultGraderConcurrency } from "./default-concurrency";
import { startLtiPassbackInGrader } from "@/domain/lti/start-passback";

// Reports written here change LMS grades: their score-change jobs go out from this process.
void startLtiPassbackInGrader().catch((e) => console.error("[grader] LTI passback did not start:", e));

runGraderProcess({
  redisUrl: env.REDIS_URL,
  databaseUrl: env.DATABASE_URL,
  prefix: env.GRADER_QUEUE_PREFIX,
  concurrency: defaultGraderConcurrency(),
  livenessMs: env.GRADER_LIVENESS_MS,
  shutdownGraceMs: env.GRADER_SHUTDOWN_GRACE_MS,
  grader: createChildGrader(),
}).catch((e) => {
  console.error("[grader] failed to start:", e);
  process.exit(1);
});
