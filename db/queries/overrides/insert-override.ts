import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { scoreOverrides, submissions } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/**
 * Appends an instructor's score override (never edited: the newest one counts, and the history
 * shows who changed what and why). Returns whose submission it is.
 * @throws NotFoundError for an unknown submission
 */
export async function insertOverride(
  db: Db | Tx,
  input: { submissionId: string; score: number; reason: string },
  byUserId: string,
): Promise<{ assignmentId: string; userId: string }> {
  const [owner] = await db
    .select({ assignmentId: submissions.assignmentId, userId: submissions.userId })
    .from(submissions)
    .where(eq(submissions.id, input.submissionId));
  if (!owner) throw new NotFoundError("No such submission.");
  await db.insert(scoreOverrides).values({ submissionId: input.submissionId, score: input.score, reason: input.reason, byUserId });
  return owner;
}
