import { z } from "zod";
import type { Db } from "@/db";
import { insertOverride } from "@/db/queries/overrides/insert-override";
import { recountStudent } from "./recount";
import { notifyScoreChange } from "@/domain/lti/score-change";

/** What an instructor enters to override a score: the score (0–100) and why, for the student and the record. */
export const scoreOverrideInput = z.object({
  submissionId: z.string().uuid("No such submission."),
  score: z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? undefined : Number(v)),
    z.number({ required_error: "Enter a score between 0 and 100.", invalid_type_error: "Enter a score between 0 and 100." })
      .min(0, "The score must be at least 0.")
      .max(100, "The score must be at most 100."),
  ),
  reason: z.string().trim().min(5, "Give a reason of at least 5 characters; the student sees it.").max(2000),
});
export type ScoreOverrideInput = z.infer<typeof scoreOverrideInput>;

/**
 * Records an instructor's score override and, in the same transaction, chooses the student's
 * submission that counts again: the override replaces both scores of its submission
 * (domain/grading/counted-submission.ts), on the leaderboard as in the gradebook.
 * @throws NotFoundError for an unknown submission
 */
export async function overrideScore(db: Db, input: ScoreOverrideInput, byUserId: string): Promise<void> {
  const owner = await db.transaction(async (tx) => {
    const owner = await insertOverride(tx, input, byUserId);
    await recountStudent(tx, owner.assignmentId, owner.userId);
    return owner;
  });
  // Committed: the student's assignment grade may have changed (LMS grade passback).
  await notifyScoreChange({ kind: "assignment", assignmentId: owner.assignmentId, userId: owner.userId });
}
