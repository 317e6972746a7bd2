import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { scoreOverrides, submissions } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

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
 * Records an instructor's score override. Overrides are appended, never edited: the newest one
 * counts (in the gradebook) and the history shows who changed what and why.
 * @throws NotFoundError for an unknown submission
 */
export async function overrideScore(db: Db, input: ScoreOverrideInput, byUserId: string): Promise<void> {
  const [row] = await db.select({ id: submissions.id }).from(submissions).where(eq(submissions.id, input.submissionId));
  if (!row) throw new NotFoundError("No such submission.");
  await db.insert(scoreOverrides).values({ submissionId: input.submissionId, score: input.score, reason: input.reason, byUserId });
}
