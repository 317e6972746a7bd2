import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { scoreOverrides, submissions } from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/errors";

/**
 * Appends an instructor's score override (never edited: the newest one counts, and the history
 * shows who changed what and why). Returns whose submission it is.
 * Only a graded submission has a score to override: a practice run or a platform baseline on a
 * student's own dataset is refused (409), since it counts for nothing.
 * @throws NotFoundError for an unknown submission; ConflictError for an ungraded run
 */
export async function insertOverride(
  db: Db | Tx,
  input: { submissionId: string; score: number; reason: string },
  byUserId: string,
): Promise<{ assignmentId: string; userId: string }> {
  const [owner] = await db
    .select({ assignmentId: submissions.assignmentId, userId: submissions.userId, purpose: submissions.purpose })
    .from(submissions)
    .where(eq(submissions.id, input.submissionId));
  if (!owner) throw new NotFoundError("No such submission.");
  if (owner.purpose !== "graded") throw new ConflictError("This run is not graded (a practice run or the platform's baseline), so it has no score to override.");
  await db.insert(scoreOverrides).values({ submissionId: input.submissionId, score: input.score, reason: input.reason, byUserId });
  return { assignmentId: owner.assignmentId, userId: owner.userId };
}
