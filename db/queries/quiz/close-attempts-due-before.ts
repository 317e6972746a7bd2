import { and, eq, isNotNull, isNull, lt } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { quizAttempts } from "@/db/schema";

/**
 * Closes a user's open attempts whose deadline is before `deadlineBefore` (the caller's "now" less
 * the grace period, see domain/quiz/attempt-timing.ts): they are marked submitted at their deadline
 * with a score of 0 and no answers, because nothing was submitted in time. Closed this way they
 * count as used attempts, and the statistics leave them out (they carry no answers). A guarded
 * update, so running it twice changes nothing.
 * @returns how many attempts were closed.
 */
export async function closeAttemptsDueBefore(
  db: Db | Tx,
  input: { quizId: string; userId: string; deadlineBefore: Date },
): Promise<number> {
  const closed = await db
    .update(quizAttempts)
    .set({ submittedAt: quizAttempts.deadlineAt, score: 0 })
    .where(
      and(
        eq(quizAttempts.quizId, input.quizId),
        eq(quizAttempts.userId, input.userId),
        isNull(quizAttempts.submittedAt),
        isNotNull(quizAttempts.deadlineAt),
        lt(quizAttempts.deadlineAt, input.deadlineBefore),
      ),
    )
    .returning({ id: quizAttempts.id });
  return closed.length;
}
