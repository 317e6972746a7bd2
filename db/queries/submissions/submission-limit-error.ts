/**
 * A student asked for more grading than the assignment allows (too many submissions waiting, or the
 * daily quota is used up). User-caused and final: the message says when they can submit again.
 */
export class SubmissionLimitError extends Error {
  /** `queued_cap`: too many waiting; `daily_limit`: today's quota is used up. */
  readonly code: "queued_cap" | "daily_limit";
  constructor(code: "queued_cap" | "daily_limit", message: string) {
    super(message);
    this.name = "SubmissionLimitError";
    this.code = code;
  }
}
