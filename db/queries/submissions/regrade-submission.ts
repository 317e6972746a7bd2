import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/errors";

/** Only finished runs can be graded again; a queued or running one is already being graded. */
const REGRADABLE = ["succeeded", "failed"] as const;

/** A finished submission back in the queue as its next run, with the last run's traces cleared. */
const NEXT_RUN = {
  status: "queued",
  run: sql`${submissions.run} + 1`,
  attempts: 0,
  progress: null,
  progressHistory: null,
  errorMessage: null,
  workerId: null,
  heartbeatAt: null,
  startedAt: null,
  finishedAt: null,
} as const;

/**
 * Puts a finished submission back in the queue as its next run: `run` goes up by one, so the grader
 * writes a new report row and the earlier report stays for comparison. A guarded update (status in
 * succeeded/failed), so two instructors clicking at once start one regrade. The caller enqueues the
 * id after this returns (the update has committed). Rejected specs are never graded.
 * @returns the new run number
 * @throws NotFoundError for an unknown id; ConflictError when it is queued, running or rejected
 */
export async function regradeSubmission(db: Db, submissionId: string): Promise<number> {
  const [moved] = await db
    .update(submissions)
    .set(NEXT_RUN)
    .where(and(eq(submissions.id, submissionId), inArray(submissions.status, [...REGRADABLE])))
    .returning({ run: submissions.run });
  if (moved) return moved.run;
  const [row] = await db.select({ status: submissions.status }).from(submissions).where(eq(submissions.id, submissionId));
  if (!row) throw new NotFoundError("No such submission.");
  throw new ConflictError(
    row.status === "rejected"
      ? "This submission was rejected before grading (invalid or over budget); there is nothing to regrade."
      : "This submission is already waiting or being graded; regrade it once it has finished.",
  );
}

/**
 * Regrades every finished graded submission of an assignment (for instance after the held-out set or
 * the score formula changed); students' practice runs on their own datasets are left as they are.
 * Returns the ids put back in the queue, for the caller to enqueue.
 */
export async function regradeAllSubmissions(db: Db, assignmentId: string): Promise<string[]> {
  const rows = await db
    .update(submissions)
    .set(NEXT_RUN)
    .where(and(eq(submissions.assignmentId, assignmentId), eq(submissions.purpose, "graded"), inArray(submissions.status, [...REGRADABLE])))
    .returning({ id: submissions.id });
  return rows.map((r) => r.id);
}
