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

/** Why a submission exists (db/schema/grading.ts, `submissions.purpose`). */
export type SubmissionPurpose = "graded" | "practice" | "baseline";

/**
 * BullMQ priority of a grading job (lower is sooner; a job without one is taken before every prioritized job).
 * Graded submissions get none, and so do platform baselines (a graded score on a student's dataset waits for its
 * baseline): they are always taken before practice runs, which wait behind them at one level (first come, first
 * served among themselves). The embedded runner keeps the same order (db/queries/submissions/queue-position.ts).
 */
export function gradeJobPriority(purpose: SubmissionPurpose): number | undefined {
  return purpose === "practice" ? PRACTICE_PRIORITY : undefined;
}

/** The BullMQ priority of practice runs. */
export const PRACTICE_PRIORITY = 10;

/**
 * Options of every grading job. `jobId` is the submission id, so enqueueing a submission that is
 * already waiting is a no-op. BullMQ's own attempt count is set above the database's, because the
 * database decides when to give up: BullMQ merely redelivers.
 */
export function gradeJobOptions(submissionId: string, purpose: SubmissionPurpose = "graded"): JobsOptions {
  const priority = gradeJobPriority(purpose);
  return {
    jobId: submissionId,
    ...(priority === undefined ? {} : { priority }),
    attempts: MAX_GRADING_ATTEMPTS + 2,
    backoff: { type: "exponential", delay: RETRY_BACKOFF_MS },
    // Finished jobs are removed so a regrade (same id, next run) can be enqueued again; their
    // outcome lives in Postgres. A few failed ones are kept for inspection.
    removeOnComplete: true,
    removeOnFail: { count: 1_000 },
  };
}
