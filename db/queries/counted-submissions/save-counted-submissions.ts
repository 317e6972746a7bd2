import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { countedSubmissions } from "@/db/schema";

export type CountedSubmissionRow = Omit<typeof countedSubmissions.$inferInsert, "updatedAt">;

/** Rows per insert statement: well under Postgres's 65,535 bind parameters (8 per row). */
const BATCH = 1000;

/**
 * Serialises recounts of one student's submission that counts: two reports finishing at once each
 * read the other's report only after it committed, so the second recount waits for the first.
 */
export async function lockCountedSubmission(tx: Tx, assignmentId: string, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${assignmentId}), hashtext(${userId}))`);
}

/**
 * Holds off every other write to counted_submissions until the transaction ends: a whole-assignment
 * recount then reads and writes without a student's recount slipping in between (which would be
 * overwritten with what the recount read before it).
 */
export async function lockAllCountedSubmissions(tx: Tx): Promise<void> {
  await tx.execute(sql`lock table counted_submissions in share row exclusive mode`);
}

/** Writes (or replaces) the counted row of each student given. */
export async function saveCountedSubmissions(db: Db | Tx, rows: CountedSubmissionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await db
      .insert(countedSubmissions)
      .values(rows.slice(i, i + BATCH))
      .onConflictDoUpdate({
        target: [countedSubmissions.assignmentId, countedSubmissions.userId],
        set: {
          submissionId: sql`excluded.submission_id`,
          submittedAt: sql`excluded.submitted_at`,
          publicScore: sql`excluded.public_score`,
          privateScore: sql`excluded.private_score`,
          source: sql`excluded.source`,
          rule: sql`excluded.rule`,
          updatedAt: sql`now()`,
        },
      });
  }
}

/** Removes a student's counted row (nothing of theirs is graded any more). */
export async function removeCountedSubmission(db: Db | Tx, assignmentId: string, userId: string): Promise<void> {
  await db.delete(countedSubmissions).where(and(eq(countedSubmissions.assignmentId, assignmentId), eq(countedSubmissions.userId, userId)));
}

/** Removes every counted row of an assignment (before counting it again from scratch). */
export async function removeCountedSubmissionsOf(db: Db | Tx, assignmentId: string): Promise<void> {
  await db.delete(countedSubmissions).where(eq(countedSubmissions.assignmentId, assignmentId));
}
