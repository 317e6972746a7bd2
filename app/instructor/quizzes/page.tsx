import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { requireInstructor } from "@/app/_lib/auth/session";
import { listQuizzesForUser } from "@/db/queries/quiz/find-lesson-quiz";
import { listMyCourses } from "@/db/queries/courses/my-courses";
import { Card } from "@/app/_components/ui/card";

export const metadata: Metadata = { title: "Quiz statistics" };

/** The quizzes of the courses this instructor teaches, each linking to its statistics. */
export default async function InstructorQuizzesPage() {
  const user = await requireInstructor("/instructor/quizzes");
  const db = await getDb();
  const taught = new Map((await listMyCourses(db, user.id)).filter((c) => c.role === "instructor").map((c) => [c.id, c]));
  const quizzes = (await listQuizzesForUser(db, { userId: user.id, role: user.role })).filter((q) => taught.has(q.courseId));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Quiz statistics</h1>
      {quizzes.length === 0 ? (
        <p className="text-slate-600">No quizzes in your courses yet.</p>
      ) : (
        <ul className="space-y-2">
          {quizzes.map((q) => {
            const course = taught.get(q.courseId)!;
            return (
              <li key={q.id}>
                <Card as="div" padding="sm">
                <Link href={`/courses/${course.slug}/lessons/${q.lessonNumber}/quiz/statistics`} className="font-semibold">
                  {q.title}
                </Link>
                <span className="ml-2 text-sm text-slate-600">{course.title} · Lesson {q.lessonNumber}</span>
                </Card>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
