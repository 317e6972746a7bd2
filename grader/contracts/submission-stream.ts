import { z } from "zod";
import { gradingProgressSchema, progressHistorySchema } from "./grading-progress";
import { submissionStatusSchema } from "./submission-status";

/**
 * What the submission page's live view hears over Server-Sent Events
 * (`GET /api/submissions/:id/events`). The server builds each message with these schemas and the
 * browser parses each one with them on arrival.
 *
 * - `history` once, first: the training curves so far, so a page opened mid-run draws them at once;
 * - `status` on connect and on every change (the stream ends after a final status);
 * - `progress` (a GradingProgress) as training goes.
 */
export const SUBMISSION_STREAM_EVENTS = ["history", "status", "progress"] as const;
export type SubmissionStreamEvent = (typeof SUBMISSION_STREAM_EVENTS)[number];

/** The submission as the page shows it. */
export const submissionStatusViewSchema = z.object({
  id: z.string(),
  status: submissionStatusSchema,
  attempts: z.number().int().min(0),
  /** 1-based place in the queue while queued, else null. */
  queuePosition: z.number().int().min(1).nullable(),
  /** The last stored progress event (so a reload shows where grading is). */
  progress: gradingProgressSchema.nullable(),
  errorMessage: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type SubmissionStatusView = z.infer<typeof submissionStatusViewSchema>;

export const submissionHistoryMessageSchema = z.object({ points: progressHistorySchema });
export type SubmissionHistoryMessage = z.infer<typeof submissionHistoryMessageSchema>;

const schemas = {
  history: submissionHistoryMessageSchema,
  status: submissionStatusViewSchema,
  progress: gradingProgressSchema,
} as const;

export type SubmissionStreamMessage<E extends SubmissionStreamEvent> = z.infer<(typeof schemas)[E]>;

/** One SSE message in wire form; the data is checked against its event's schema before it leaves. */
export function formatStreamMessage<E extends SubmissionStreamEvent>(event: E, data: SubmissionStreamMessage<E>): string {
  return `event: ${event}\ndata: ${JSON.stringify(schemas[event].parse(data))}\n\n`;
}

/** Parses the data of an SSE message of `event`; a malformed one throws a ZodError naming the field. */
export function parseStreamMessage<E extends SubmissionStreamEvent>(event: E, data: string): SubmissionStreamMessage<E> {
  return schemas[event].parse(JSON.parse(data)) as SubmissionStreamMessage<E>;
}
