import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import type { Submission } from "./create-submission";

const claimedFields = (workerId: string) => ({
  status: "running" as const,
  attempts: sql`${submissions.attempts} + 1`,
  workerId,
  heartbeatAt: sql`now()`,
  startedAt: sql`now()`,
  progress: null,
});

/**
 * Takes a queued submission for grading: `queued → running`, counting the attempt. The update is
 * guarded by `status = 'queued'`, so of two workers handed the same job only one gets the row;
 * the other gets null and must leave the submission alone.
 */
export async function claimSubmission(db: Db, submissionId: string, workerId: string): Promise<Submission | null> {
  const [row] = await db
    .update(submissions)
    .set(claimedFields(workerId))
    .where(and(eq(submissions.id, submissionId), eq(submissions.status, "queued")))
    .returning();
  return row ?? null;
}

/**
 * Claims the oldest queued submission (the embedded runner, which has no queue). `skip locked` lets
 * several web processes on one Postgres poll side by side without handing out a row twice.
 */
export async function claimNextQueuedSubmission(db: Db, workerId: string): Promise<Submission | null> {
  const next = db
    .select({ id: submissions.id })
    .from(submissions)
    .where(eq(submissions.status, "queued"))
    .orderBy(asc(submissions.createdAt), asc(submissions.id))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(submissions)
    .set(claimedFields(workerId))
    .where(and(inArray(submissions.id, next), eq(submissions.status, "queued")))
    .returning();
  return row ?? null;
}
