import { z } from "zod";
import type { JobsOptions } from "bullmq";

/** Scores are sent on Tensorgrade's 0–100 scale. */
export const SCORE_MAXIMUM = 100;
/** Tries per score before it is marked failed (the instructor page shows the error). */
export const MAX_SEND_ATTEMPTS = 6;
/** First retry delay; doubled per further try (2 s, 4 s, … 32 s). */
export const SEND_BACKOFF_MS = 2_000;

/** The BullMQ queue of LMS grade passback: one job per score change (and per send the reconciliation finds due). */
export const PASSBACK_QUEUE_NAME = "lti-score-send";

const id = z.string().min(1).max(200);

/**
 * A score of one student changed: a quiz attempt was submitted (`quiz`), or a report, an override or
 * a rubric grade was written for an assignment (`assignment`). `changedAt` is when the change was
 * committed: the AGS timestamp of what is sent, and with the rest the job's identity, so a job
 * delivered twice sends once.
 */
export const scoreChangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("quiz"), quizId: id, userId: id, changedAt: z.string().datetime() }).strict(),
  z.object({ kind: z.literal("assignment"), assignmentId: id, userId: id, changedAt: z.string().datetime() }).strict(),
]);
export type ScoreChange = z.infer<typeof scoreChangeSchema>;

/** A job: a score change to work out and send, or a recorded send to (re)try. */
export const passbackJobSchema = z.union([z.object({ change: scoreChangeSchema }).strict(), z.object({ sendId: z.string().uuid() }).strict()]);
export type PassbackJob = z.infer<typeof passbackJobSchema>;

/** The job's id: the same change (or send) enqueued twice while one is waiting is one job. BullMQ ids may not contain ':'. */
export function passbackJobId(job: PassbackJob): string {
  if ("sendId" in job) return `send-${job.sendId}`;
  const c = job.change;
  return `change-${c.kind}-${c.kind === "quiz" ? c.quizId : c.assignmentId}-${c.userId}-${Date.parse(c.changedAt)}`;
}

/** Retried with exponential back-off (2 s doubling), MAX_SEND_ATTEMPTS tries. */
export function passbackJobOptions(job: PassbackJob): JobsOptions {
  return {
    jobId: passbackJobId(job),
    attempts: MAX_SEND_ATTEMPTS,
    backoff: { type: "exponential", delay: SEND_BACKOFF_MS },
    removeOnComplete: true,
    removeOnFail: { count: 1_000 },
  };
}
