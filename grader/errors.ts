/**
 * Errors a student (or an instructor's config) can cause. Every one is final: the job is not retried, and the
 * message says what to change. Anything else thrown by the grader is infrastructure and may be retried.
 */

/** One problem found in a user document, located by a dotted path (e.g. `layers.2.filters`). */
export interface Issue {
  path: string;
  message: string;
}

/** Base of every user-caused grading error. The queue treats it as final and shows `message` to the student. */
export class GraderUserError extends Error {
  /** Stable code for the web and the queue (`spec_invalid`, `spec_over_budget`, ...). */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

function summarize(issues: Issue[]): string {
  const shown = issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  return shown.join("; ") + more;
}

/** The spec (or a Keras topology) is malformed or uses something the grader does not allow. */
export class SpecValidationError extends GraderUserError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super("spec_invalid", `Invalid spec: ${summarize(issues)}`);
    this.issues = issues;
  }
}

/** The spec is valid but exceeds the assignment's budget or does not fit its input/output shape. */
export class SpecOverBudgetError extends GraderUserError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super("spec_over_budget", `Over budget: ${summarize(issues)}`);
    this.issues = issues;
  }
}

/** An uploaded trained model (archive or folder) cannot be read or does not fit the assignment. */
export class ModelArchiveError extends GraderUserError {
  constructor(message: string) {
    super("model_archive_invalid", message);
  }
}

/** An uploaded dataset archive is unsafe or unreadable; `files` names the offending entries. */
export class DatasetArchiveError extends GraderUserError {
  readonly files: string[];
  constructor(message: string, files: string[] = []) {
    super("dataset_archive_invalid", message);
    this.files = files;
  }
}

/** A transfer spec names a base model that is not in the registry. */
export class UnknownBaseModelError extends GraderUserError {
  constructor(name: string, known: string[]) {
    super("unknown_base_model", `Unknown base model "${name}". Registered bases: ${known.join(", ") || "none"}.`);
  }
}

/** The job was cancelled through its AbortSignal (not the student's fault, but not retried either). */
export class GradingAbortedError extends Error {
  constructor() {
    super("Grading was cancelled");
    this.name = "GradingAbortedError";
  }
}

/** True for errors the queue must not retry. */
export function isUserError(e: unknown): e is GraderUserError {
  return e instanceof GraderUserError;
}
