import { ZodError, type ZodIssue } from "zod";
import { HttpError } from "@/lib/errors";
import { isUserError, type Issue } from "@/grader/errors";

/** What a client is told about an error it caused: the HTTP status, a message, and per-field issues. */
export interface UserErrorAnswer {
  status: number;
  error: string;
  issues?: { path: string; message: string }[];
}

/** zod's issues as `{ path: "a.b", message }`, the shape every error answer uses. */
export function issuesOf(issues: readonly ZodIssue[]): { path: string; message: string }[] {
  return issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

/**
 * The one mapping from errors to HTTP answers, used by route handlers (app/_lib/http/route.ts) and
 * server actions (app/_lib/auth/action.ts, app/signup/action.ts): a typed request error keeps its
 * status (lib/errors.ts), a zod error and a grader user error (bad spec, bad archive) are 422.
 * Anything else is not the user's doing: null, and the caller logs it and answers 500 (or 503).
 */
export function userErrorAnswer(err: unknown): UserErrorAnswer | null {
  if (err instanceof HttpError && err.status < 500) {
    return { status: err.status, error: err.message, ...(err.issues ? { issues: err.issues } : {}) };
  }
  if (err instanceof ZodError) return { status: 422, error: "The request is not valid.", issues: issuesOf(err.issues) };
  if (isUserError(err)) {
    const issues = (err as { issues?: Issue[] }).issues;
    return { status: 422, error: err.message, ...(issues ? { issues } : {}) };
  }
  return null;
}
