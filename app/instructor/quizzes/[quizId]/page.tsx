import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { requireInstructor } from "@/app/_lib/auth/session";
import { queryOf } from "@/app/_lib/http/legacy-redirect";
import { findQuizForUser } from "@/db/queries/quiz/find-lesson-quiz";
import { findCourseById } from "@/db/queries/courses/course-access";

type Props = { params: Promise<{ quizId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/instructor/quizzes/<id>` moved to its lesson: `/courses/<slug>/lessons/<n>/quiz/statistics`. */
export default async function MovedQuizStatisticsPage({ params, searchParams }: Props) {
  const { quizId } = await params;
  const user = await requireInstructor(`/instructor/quizzes/${quizId}`);
  if (!z.string().uuid().safeParse(quizId).success) notFound();
  const db = await getDb();
  let target: string;
  try {
    const quiz = await findQuizForUser(db, { userId: user.id, role: user.role, quizId });
    const course = await findCourseById(db, quiz.courseId);
    target = `/courses/${course.slug}/lessons/${quiz.lessonNumber}/quiz/statistics`;
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  redirect(`${target}${queryOf(await searchParams)}`);
}
