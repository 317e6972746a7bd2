import { ConflictError, ValidationError } from "@/lib/errors";

/** Every attempt allowed by the quiz settings has been used. */
export class AttemptLimitReachedError extends ConflictError {
  constructor(allowed: number) {
    super(`You have used all ${allowed} attempt${allowed === 1 ? "" : "s"} allowed for this quiz.`);
  }
}

/** A submission that arrives after the attempt's deadline (plus the network grace period). */
export class TimeLimitPassedError extends ConflictError {
  constructor(deadline: Date) {
    super(
      `The time limit for this attempt ended at ${deadline.toISOString()}; it can no longer be submitted. ` +
        "It has been closed with the answers it had (none), and you can start a new attempt if any remain.",
    );
  }
}

/** A second submission of an attempt with different answers: a submitted attempt cannot change. */
export class AttemptAlreadySubmittedError extends ConflictError {
  constructor() {
    super("This attempt was already submitted and cannot be changed. Start a new attempt to answer again.");
  }
}

/** Answers that do not fit the attempt: unknown questions, unknown choices, several picks on a single-answer question. */
export class InvalidAnswersError extends ValidationError {
  constructor(issues: { path: string; message: string }[]) {
    super("Some answers do not match the questions of this attempt.", issues);
  }
}
