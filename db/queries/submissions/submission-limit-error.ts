import { ConflictError, TooManyRequestsError } from "@/lib/errors";

/**
 * A student asked for more grading than the assignment allows (too many submissions waiting, or the
 * daily quota used up). User-caused and final; the message says when they can submit again.
 * It is an HTTP 429 wherever it surfaces (routes and actions map HttpError the same way).
 */
export class SubmissionLimitError extends TooManyRequestsError {
  /** `queued_cap`: too many waiting; `daily_limit`: today's quota is used up; `rejected_limit`: today's refused specs are. */
  readonly code: "queued_cap" | "daily_limit" | "rejected_limit";
  constructor(code: "queued_cap" | "daily_limit" | "rejected_limit", message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A submit carried an idempotency key the student already used for another assignment's submission.
 * The submit form makes a fresh key per assignment page, so only a hand-made request gets here.
 */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super("This submit key was already used for another assignment; reload the page and submit again.");
  }
}
