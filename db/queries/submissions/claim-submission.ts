import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import type { Submission } from "./create-submission";
import { queueOrder } from "./queue-position";

const claimedFields = (workerId: string) => ({
  status: "running" as const,
  attempts: sql`${submissions.attempts} + 1`,
  workerId,
  heartbeatAt: sql`now()`,
  startedAt: sql`now()`,
  progress: null,
  progressHistory: null,
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
 * Claims the next queued submission (the embedded runner, which has no queue) in the queue's order: the oldest
 * graded (or baseline) one, else the oldest practice run, as BullMQ's priorities do with Redis. `skip locked` lets
 * several processes on one Postgres poll side by side without handing out a row twice. Selecting
 * and updating are two statements in one transaction on purpose: inlined as `where id in (select
 * ... limit 1)`, Postgres may re-run the subquery per row and claim more than one.
 */
export async function claimNextQueuedSubmission(db: Db, workerId: string): Promise<Submission | null> {
  return db.transaction(async (tx) => {
    const [next] = await tx
      .select({ id: submissions.id })
      .from(submissions)
      .where(eq(submissions.status, "queued"))
      .orderBy(...queueOrder)
      .limit(1)
      .for("update", { skipLocked: true });
    if (!next) return null;
    const [row] = await tx
      .update(submissions)
      .set(claimedFields(workerId))
      .where(and(eq(submissions.id, next.id), eq(submissions.status, "queued")))
      .returning();
    return row ?? null;
  });
}
