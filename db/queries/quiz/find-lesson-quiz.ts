import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { enrollments, lessons, quizzes } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
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

/** Who is asking: instructors see every course (as on the course page), students only their own. */
export interface QuizViewer {
  userId: string;
  role?: "student" | "instructor";
}

/** Quizzes joined to their lesson, restricted to the viewer's courses unless the viewer is an instructor. */
function visibleQuizzes(db: Db, viewer: QuizViewer) {
  const base = db.select(quizColumns).from(quizzes).innerJoin(lessons, eq(lessons.id, quizzes.lessonId));
  if (viewer.role === "instructor") return base.$dynamic();
  return base
    .innerJoin(enrollments, and(eq(enrollments.courseId, lessons.courseId), eq(enrollments.userId, viewer.userId)))
    .$dynamic();
}

/**
 * The quiz of lesson `lessonNumber` in a course the user is enrolled in (any course for instructors),
 * in the course `courseId` when given (lesson numbers are unique within a course only).
 * @throws NotFoundError when the user is in no course with that lesson, or it has no quiz.
 */
export async function findLessonQuizForUser(
  db: Db,
  input: QuizViewer & { lessonNumber: number; courseId?: string },
): Promise<LessonQuiz> {
  const [row] = await visibleQuizzes(db, input)
    .where(
      input.courseId
        ? and(eq(lessons.number, input.lessonNumber), eq(lessons.courseId, input.courseId))
        : eq(lessons.number, input.lessonNumber),
    )
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
 * A quiz by id, if the user is enrolled in its course (or is an instructor).
 * @throws NotFoundError otherwise (we do not reveal whether the quiz exists).
 */
export async function findQuizForUser(db: Db, input: QuizViewer & { quizId: string }): Promise<LessonQuiz> {
  const [row] = await visibleQuizzes(db, input).where(eq(quizzes.id, input.quizId));
  if (!row) throw new NotFoundError("No such quiz in your courses.");
  return { ...row, settings: parseSettings(row.settings) };
}

/** Every quiz the viewer may see (all of them for instructors), for the instructor's list. */
export async function listQuizzesForUser(db: Db, viewer: QuizViewer): Promise<LessonQuiz[]> {
  const rows = await visibleQuizzes(db, viewer).orderBy(asc(lessons.number), asc(quizzes.slug));
  return rows.map((row) => ({ ...row, settings: parseSettings(row.settings) }));
}
