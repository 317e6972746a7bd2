import { z } from "zod";
import type { JobsOptions } from "bullmq";

/** Scores are sent on Tensorgrade's 0–100 scale. */
export const SCORE_MAXIMUM = 100;
/** Tries per score before it is marked failed (the instructor page shows the error). */
export const MAX_SEND_ATTEMPTS = 6;
/** First retry delay; doubled per further try (2 s, 4 s, … 32 s). */
export const SEND_BACKOFF_MS = 2_000;

/** The BullMQ queue of LMS grade sends. */
export const PASSBACK_QUEUE_NAME = "lti-score-send";

/** A job says which recorded score to send; the row holds the rest. */
export const passbackJobSchema = z.object({ sendId: z.string().uuid() }).strict();
export type PassbackJob = z.infer<typeof passbackJobSchema>;

/** jobId = send id, so a send that is already waiting or retrying is not enqueued twice. */
export function passbackJobOptions(sendId: string): JobsOptions {
  return {
    jobId: sendId,
    attempts: MAX_SEND_ATTEMPTS,
    backoff: { type: "exponential", delay: SEND_BACKOFF_MS },
    removeOnComplete: true,
    removeOnFail: { count: 1_000 },
  };
}
