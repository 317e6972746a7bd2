import { z } from "zod";

/**
 * The lifecycle of a submission, as Postgres stores it (db/schema/enums.ts builds its enum from
 * this list), the SSE stream sends it and the browser reads it.
 */
export const SUBMISSION_STATUSES = ["queued", "running", "succeeded", "failed", "rejected"] as const;
export const submissionStatusSchema = z.enum(SUBMISSION_STATUSES);
export type SubmissionStatus = z.infer<typeof submissionStatusSchema>;

/** Statuses a submission never leaves (a regrade makes a new run of it queued again, on purpose). */
export const FINAL_SUBMISSION_STATUSES = ["succeeded", "failed", "rejected"] as const satisfies readonly SubmissionStatus[];
const FINAL: ReadonlySet<SubmissionStatus> = new Set(FINAL_SUBMISSION_STATUSES);

/** True once grading is over, whatever the outcome: the live view stops listening and shows the result. */
export function isFinalStatus(status: SubmissionStatus): boolean {
  return FINAL.has(status);
}

/**
 * What was submitted: a spec the grader trains (`cnn`, `transfer`, an imported `keras` topology) or a
 * trained `model` it only evaluates. Stored in Postgres, sent to the training child, written in the report.
 */
export const SUBMISSION_KINDS = ["cnn", "transfer", "keras", "model"] as const;
export const submissionKindSchema = z.enum(SUBMISSION_KINDS);
export type SubmissionKind = z.infer<typeof submissionKindSchema>;

/** The kinds the grader trains from a spec (everything but an uploaded model). */
export const TRAINED_KINDS = ["cnn", "transfer", "keras"] as const satisfies readonly SubmissionKind[];
export const trainedKindSchema = z.enum(TRAINED_KINDS);
export type TrainedKind = z.infer<typeof trainedKindSchema>;

/** The kinds the spec builder writes and can open again (a Keras topology is pasted, not built). */
export const BUILDER_KINDS = ["cnn", "transfer"] as const satisfies readonly TrainedKind[];
export type BuilderKind = (typeof BUILDER_KINDS)[number];

/** True for a kind the spec builder handles; narrows a stored or parsed `kind`. */
export function isBuilderKind(kind: unknown): kind is BuilderKind {
  return (BUILDER_KINDS as readonly unknown[]).includes(kind);
}
