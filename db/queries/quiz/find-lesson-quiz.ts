import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { enrollments, lessons, quizzes } from "@/db/schema";
import { NotFoundError } from "@/app/_lib/errors";
import type { QuizSettings } from "@/assignments/content/quiz-schema";
import { parseSettings } from "./quiz-rows";

export interface LessonQuiz {
  id: string;
  slug: string;
  title: string;
  settings: QuizSettings;
  dueAt: Date | null;
  lessonId: string;
  lessonNumber: number;
  lessonTitle: string;
  courseId: string;
}

const quizColumns = {
  id: quizzes.id,
  slug: quizzes.slug,
  title: quizzes.title,
  settings: quizzes.settings,
  dueAt: quizzes.dueAt,
  lessonId: lessons.id,
  lessonNumber: lessons.number,
  lessonTitle: lessons.title,
  courseId: lessons.courseId,
};

/**
 * The quiz of lesson `lessonNumber` in a course the user is enrolled in.
 * @throws NotFoundError when the user is in no course with that lesson, or it has no quiz.
 */
export async function findLessonQuizForUser(
  db: Db,
  input: { userId: string; lessonNumber: number },
): Promise<LessonQuiz> {
  const [row] = await db
    .select(quizColumns)
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .innerJoin(enrollments, and(eq(enrollments.courseId, lessons.courseId), eq(enrollments.userId, input.userId)))
    .where(eq(lessons.number, input.lessonNumber))
    .orderBy(asc(quizzes.slug))
    .limit(1);
  if (!row) {
    throw new NotFoundError(
      `There is no quiz for lesson ${input.lessonNumber} in your courses. Join the course with the code from your instructor.`,
    );
  }
  return { ...row, settings: parseSettings(row.settings) };
}

/**
 * A quiz by id, if the user is enrolled in its course.
 * @throws NotFoundError otherwise (we do not reveal whether the quiz exists).
 */
export async function findQuizForUser(db: Db, input: { userId: string; quizId: string }): Promise<LessonQuiz> {
  const [row] = await db
    .select(quizColumns)
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .innerJoin(enrollments, and(eq(enrollments.courseId, lessons.courseId), eq(enrollments.userId, input.userId)))
    .where(eq(quizzes.id, input.quizId));
  if (!row) throw new NotFoundError("No such quiz in your courses.");
  return { ...row, settings: parseSettings(row.settings) };
}

/** Every quiz in the courses the user is enrolled in, for the instructor's list. */
export async function listQuizzesForUser(db: Db, userId: string): Promise<LessonQuiz[]> {
  const rows = await db
    .select(quizColumns)
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .innerJoin(enrollments, and(eq(enrollments.courseId, lessons.courseId), eq(enrollments.userId, userId)))
    .orderBy(asc(lessons.number), asc(quizzes.slug));
  return rows.map((row) => ({ ...row, settings: parseSettings(row.settings) }));
}
