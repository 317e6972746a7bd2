import type { Db, Tx } from "@/db";
import { countedSubmissionOf } from "@/db/queries/counted-submissions/counted-submission-of";
import { countedScore, countingSplit, type ScoreSplit } from "./counted-submission";

/** A student's submission that counts on an assignment and the score it stands for now. */
export interface CurrentCountedScore {
  submissionId: string;
  submittedAt: Date;
  /** 0–100: the public score before the deadline, the private one after (an override replaces both). */
  score: number;
  split: ScoreSplit;
  source: "report" | "override";
  publicScore: number;
  privateScore: number;
}

/**
 * The score that counts for a student on an assignment right now, as the leaderboard and gradebook
 * show it (domain/grading/counted-submission.ts), or null when nothing of theirs is graded. What an
 * LMS grade passback sends. Reads one row by primary key; pass the transaction that just wrote a
 * report or override to see its effect.
 */
export async function currentCountedScore(
  db: Db | Tx,
  assignment: { id: string; dueAt: Date },
  userId: string,
  now: Date = new Date(),
): Promise<CurrentCountedScore | null> {
  const row = await countedSubmissionOf(db, assignment.id, userId);
  if (!row) return null;
  const split = countingSplit(assignment.dueAt, now);
  return { ...row, score: countedScore(row, split), split };
}
