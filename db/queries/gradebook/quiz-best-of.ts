import { and, eq, inArray, isNotNull, max } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAttempts } from "@/db/schema";

/** A student's best submitted quiz score and that quiz's maximum (both null before any submitted attempt). */
export interface QuizBest {
  bestScore: number | null;
  maxScore: number | null;
}

/**
 * The best submitted score at one quiz of each of these students, by user id; a student without
 * a submitted attempt is absent. Reads only their attempts (the quiz_attempts (quiz_id, user_id, …)
 * index), so a gradebook page of 100 costs 100 students' rows, not the whole course's
 * (bestScores in ../quiz/best-scores.ts lists every enrolled student, for the quiz statistics).
 */
export async function quizBestOf(db: Db, quizId: string, userIds: readonly string[]): Promise<Map<string, QuizBest>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: quizAttempts.userId, bestScore: max(quizAttempts.score), maxScore: max(quizAttempts.maxScore) })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.quizId, quizId), inArray(quizAttempts.userId, [...userIds]), isNotNull(quizAttempts.submittedAt)))
    .groupBy(quizAttempts.userId);
  return new Map(rows.map((r) => [r.userId, { bestScore: r.bestScore, maxScore: r.maxScore }]));
}
