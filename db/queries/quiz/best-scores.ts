import { and, asc, eq, isNotNull, max, count, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { enrollments, lessons, quizAttempts, quizzes, users } from "@/db/schema";

export interface StudentBestScore {
  userId: string;
  name: string;
  email: string;
  /** Submitted attempts (time-outs included). */
  attempts: number;
  bestScore: number | null;
  maxScore: number | null;
  lastSubmittedAt: Date | null;
}

/**
 * Every student enrolled in the quiz's course with their best submitted score, including students
 * who have not attempted it yet (their best is null), sorted by name. With `userId`, that student only.
 */
export async function bestScores(db: Db, quizId: string, userId?: string): Promise<StudentBestScore[]> {
  const submitted = db
    .select({
      userId: quizAttempts.userId,
      attempts: count().as("attempts"),
      bestScore: max(quizAttempts.score).as("best_score"),
      maxScore: max(quizAttempts.maxScore).as("max_score"),
      lastSubmittedAt: max(quizAttempts.submittedAt).as("last_submitted_at"),
    })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.quizId, quizId), isNotNull(quizAttempts.submittedAt), userId === undefined ? undefined : eq(quizAttempts.userId, userId)))
    .groupBy(quizAttempts.userId)
    .as("submitted");
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      attempts: sql<number>`coalesce(${submitted.attempts}, 0)`.mapWith(Number),
      bestScore: submitted.bestScore,
      maxScore: submitted.maxScore,
      lastSubmittedAt: submitted.lastSubmittedAt,
    })
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .innerJoin(enrollments, and(eq(enrollments.courseId, lessons.courseId), eq(enrollments.role, "student")))
    .innerJoin(users, eq(users.id, enrollments.userId))
    .leftJoin(submitted, eq(submitted.userId, users.id))
    .where(and(eq(quizzes.id, quizId), userId === undefined ? undefined : eq(users.id, userId)))
    .orderBy(asc(users.name), asc(users.email));
  return rows.map((r) => ({
    ...r,
    lastSubmittedAt: r.lastSubmittedAt === null ? null : new Date(r.lastSubmittedAt),
  }));
}
