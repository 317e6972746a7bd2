import { z } from "zod";
import type { JobsOptions } from "bullmq";

/** The one BullMQ queue the web enqueues into and grader workers consume. */
export const GRADE_QUEUE_NAME = "grade-submission";

/**
 * Grading attempts allowed per submission run. Infrastructure failures (a worker that died, a crashed
 * training process) are retried until the submission has been started this many times; user errors
 * are final on the first attempt. Postgres (`submissions.attempts`) is the authority on this count.
 */
export const MAX_GRADING_ATTEMPTS = 3;

/** First retry delay; BullMQ doubles it for every further retry. */
const RETRY_BACKOFF_MS = 2_000;

/**
 * The job payload: the submission id and nothing else. The submission row in Postgres is the source
 * of truth; the queue only says "look at this row".
 */
export const gradeJobPayloadSchema = z.object({ submissionId: z.string().uuid() }).strict();
export type GradeJobPayload = z.infer<typeof gradeJobPayloadSchema>;

/** Validates a payload at either end of the queue (enqueue and worker). Throws ZodError on garbage. */
export function parseGradeJobPayload(data: unknown): GradeJobPayload {
  return gradeJobPayloadSchema.parse(data);
}

/**
 * Options of every grading job. `jobId` is the submission id, so enqueueing a submission that is
 * already waiting is a no-op. BullMQ's own attempt count is set above the database's, because the
 * database decides when to give up: BullMQ merely redelivers.
 */
export function gradeJobOptions(submissionId: string): JobsOptions {
  return {
    jobId: submissionId,
    attempts: MAX_GRADING_ATTEMPTS + 2,
    backoff: { type: "exponential", delay: RETRY_BACKOFF_MS },
    // Finished jobs are removed so a regrade (same id, next run) can be enqueued again; their
    // outcome lives in Postgres. A few failed ones are kept for inspection.
    removeOnComplete: true,
    removeOnFail: { count: 1_000 },
  };
}
