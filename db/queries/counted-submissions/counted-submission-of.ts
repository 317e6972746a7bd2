import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { countedSubmissions } from "@/db/schema";

export type CountedSubmissionRecord = Pick<
  typeof countedSubmissions.$inferSelect,
  "submissionId" | "submittedAt" | "publicScore" | "privateScore" | "source"
>;

/** A student's counted row on an assignment (primary key lookup), or null when nothing of theirs is graded. */
export async function countedSubmissionOf(db: Db | Tx, assignmentId: string, userId: string): Promise<CountedSubmissionRecord | null> {
  const [row] = await db
    .select({
      submissionId: countedSubmissions.submissionId,
      submittedAt: countedSubmissions.submittedAt,
      publicScore: countedSubmissions.publicScore,
      privateScore: countedSubmissions.privateScore,
      source: countedSubmissions.source,
    })
    .from(countedSubmissions)
    .where(and(eq(countedSubmissions.assignmentId, assignmentId), eq(countedSubmissions.userId, userId)));
  return row ?? null;
}
