import Link from "next/link";
import { notFound } from "next/navigation";
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { assignments, courses, lessons } from "@/db/schema";
import { requireUser } from "@/app/_lib/auth/session";
import { isEnrolled } from "@/db/queries/courses/enroll";
import { JoinCourseForm } from "@/app/courses/join/join-form";
import { numberedTitle } from "@/app/_lib/text/numbered-title";

export default async function CoursePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(`/courses/${slug}`);
  const db = await getDb();
  const [course] = await db.select().from(courses).where(eq(courses.slug, slug));
  if (!course) notFound();
  const member = user.role === "instructor" || (await isEnrolled(db, course.id, user.id));
  if (!member) {
    return (
      <div className="rounded-xl bg-white p-8 ring-1 ring-slate-200">
        <h1 className="text-2xl font-bold">{course.title}</h1>
        <p className="mt-2 text-slate-600">You are not enrolled yet. Enter the join code your instructor shared.</p>
        <JoinCourseForm />
      </div>
    );
  }
  const lessonRows = await db.select().from(lessons).where(eq(lessons.courseId, course.id)).orderBy(asc(lessons.number));
  const assignmentRows = await db
    .select({ number: assignments.number, title: assignments.title, dueAt: assignments.dueAt })
    .from(assignments)
    .where(eq(assignments.courseId, course.id))
    .orderBy(asc(assignments.number));
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm uppercase tracking-wide text-slate-500">Course</p>
        <h1 className="text-3xl font-bold">{course.title}</h1>
        {user.role === "instructor" && (
          <p className="mt-1 text-sm text-slate-600">
            Join code for students: <code className="rounded bg-slate-100 px-1.5 py-0.5">{course.joinCode}</code>
          </p>
        )}
      </div>
      <section className="rounded-xl bg-white p-6 ring-1 ring-slate-200">
        <h2 className="text-xl font-semibold">Lessons</h2>
        <ul className="mt-3 space-y-2">
          {lessonRows.length === 0 && <li className="text-slate-500">No lessons are registered yet.</li>}
          {lessonRows.map((l) => (
            <li key={l.id} className="flex flex-wrap gap-4">
              <Link href={`/lessons/${l.number}`}>{numberedTitle("Lesson", l.number, l.title)}</Link>
              <Link href={`/lessons/${l.number}/quiz`} className="text-sm">Quiz</Link>
            </li>
          ))}
        </ul>
      </section>
      <section className="rounded-xl bg-white p-6 ring-1 ring-slate-200">
        <h2 className="text-xl font-semibold">Assignments</h2>
        <ul className="mt-3 space-y-2">
          {assignmentRows.length === 0 && <li className="text-slate-500">No assignments are registered yet.</li>}
          {assignmentRows.map((a) => (
            <li key={a.number}>
              <Link href={`/assignments/${a.number}`}>{numberedTitle("Assignment", a.number, a.title)}</Link>
              {a.dueAt && <span className="ml-2 text-sm text-slate-500">due {a.dueAt.toUTCString()}</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
