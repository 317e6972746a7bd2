import type { Db, Tx } from "@/db";
import { closeAttemptsDueBefore } from "@/db/queries/quiz/close-attempts-due-before";
import { SUBMIT_GRACE_MS } from "./attempt-timing";

/**
 * Closes a user's open attempts whose time ran out at `now` (past the deadline and the grace
 * period), with a score of 0 and no answers: nothing was submitted in time. They count as used
 * attempts. Safe to run twice.
 * @returns how many attempts were closed.
 */
export function closeExpiredAttempts(db: Db | Tx, input: { quizId: string; userId: string; now: Date }): Promise<number> {
  return closeAttemptsDueBefore(db, {
    quizId: input.quizId,
    userId: input.userId,
    deadlineBefore: new Date(input.now.getTime() - SUBMIT_GRACE_MS),
  });
}
