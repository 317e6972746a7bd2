import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "@/env";
import { GRADE_QUEUE_NAME, gradeJobOptions, parseGradeJobPayload, type GradeJobPayload, type SubmissionPurpose } from "./grade-job";
import { createRedisConnection } from "./redis-connection";

export type GradeQueue = Queue<GradeJobPayload>;

/**
 * BullMQ treats an ioredis instance handed to it as shared and leaves it open on `close()`, so a
 * process that closed its queue still could not exit (`bench:queue` hung after printing its result).
 * The grading queue makes its own connection, so it owns it and quits it on close.
 */
class OwnedConnectionQueue extends Queue<GradeJobPayload> {
  constructor(
    private readonly ownConnection: Redis,
    prefix: string,
  ) {
    super(GRADE_QUEUE_NAME, { connection: ownConnection, prefix });
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.ownConnection.status !== "end") await this.ownConnection.quit();
  }
}

/** Opens the grading queue on `redisUrl` under `prefix` (one prefix per deployment or test file). */
export function createGradeQueue(opts: { redisUrl: string; prefix: string }): GradeQueue {
  const queue = new OwnedConnectionQueue(createRedisConnection(opts.redisUrl, "producer"), opts.prefix);
  // Without a listener an unreachable Redis would surface as an unhandled 'error' event.
  queue.on("error", (err) => console.error("[queue] redis error:", err.message));
  return queue;
}

/**
 * Puts a submission on the queue. Call it only AFTER the transaction that inserted (or requeued) the
 * row has committed: a worker may pick the job up immediately and must find the row. Adding an id
 * that is already waiting, delayed or running does nothing (jobId = submission id). Practice runs
 * go in at a lower priority than graded submissions and baselines (gradeJobPriority), so a deadline
 * rush of graded work is taken first.
 */
export async function enqueueGrading(queue: GradeQueue, submissionId: string, purpose: SubmissionPurpose = "graded"): Promise<void> {
  const payload = parseGradeJobPayload({ submissionId });
  await queue.add(GRADE_QUEUE_NAME, payload, gradeJobOptions(payload.submissionId, purpose));
}

const globalForQueue = globalThis as unknown as { tgGradeQueue?: GradeQueue };

/**
 * The process-wide producer queue from `REDIS_URL`, created on first use; null in embedded mode
 * (no Redis configured), where the in-process runner polls the database instead.
 */
export function getGradeQueue(): GradeQueue | null {
  if (!env.REDIS_URL) return null;
  globalForQueue.tgGradeQueue ??= createGradeQueue({ redisUrl: env.REDIS_URL, prefix: env.GRADER_QUEUE_PREFIX });
  return globalForQueue.tgGradeQueue;
}
