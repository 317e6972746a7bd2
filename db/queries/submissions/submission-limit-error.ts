import { TooManyRequestsError } from "@/app/_lib/errors";

/**
 * A student asked for more grading than the assignment allows (too many submissions waiting, or the
 * daily quota used up). User-caused and final; the message says when they can submit again.
 * It is an HTTP 429 wherever it surfaces (routes and actions map HttpError the same way).
 */
export class SubmissionLimitError extends TooManyRequestsError {
  /** `queued_cap`: too many waiting; `daily_limit`: today's quota is used up. */
  readonly code: "queued_cap" | "daily_limit";
  constructor(code: "queued_cap" | "daily_limit", message: string) {
    super(message);
    this.code = code;
  }
}
