import type { ReactNode } from "react";
import Link from "next/link";
import { getDb } from "@/db";
import { requireCourse } from "@/app/_lib/auth/course-access";
import { courseOutline } from "@/db/queries/courses/course-outline";
import { JoinCourseForm } from "@/app/courses/join/join-form";
import { numberedTitle } from "@/app/_lib/text/numbered-title";
import { Card, CardTitle } from "@/app/_components/ui/card";

/** One list of the course outline (its lessons, or its assignments), each entry a row of links; `none` when empty. */
function OutlineCard(props: { title: string; none: string; items: { number: number; className: string; content: ReactNode }[] }) {
  return (
    <Card>
      <CardTitle>{props.title}</CardTitle>
      <ul className="mt-3 space-y-2">
        {props.items.length === 0 && <li className="text-slate-500">{props.none}</li>}
        {props.items.map((item) => (
          <li key={item.number} className={`flex flex-wrap ${item.className}`}>{item.content}</li>
        ))}
      </ul>
    </Card>
  );
}

/** A course: its lessons (each with its quiz) and assignments; its instructors also see the join code and their tools. */
export default async function CoursePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user, course, role } = await requireCourse(slug, `/courses/${slug}`);
  const member = user.role === "instructor" || role !== null;
  if (!member) {
    return (
      <Card as="div" padding="lg">
        <h1 className="text-2xl font-bold">{course.title}</h1>
        <p className="mt-2 text-slate-600">You are not enrolled yet. Enter the join code your instructor shared.</p>
        <JoinCourseForm />
      </Card>
    );
  }
  const outline = await courseOutline(await getDb(), course.id);
  const base = `/courses/${course.slug}`;
  const teaches = role === "instructor";
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm uppercase tracking-wide text-slate-500">Course</p>
        <h1 className="text-3xl font-bold">{course.title}</h1>
        {teaches && (
          <p className="mt-1 text-sm text-slate-600">
            Join code for students: <code className="rounded bg-slate-100 px-1.5 py-0.5">{course.joinCode}</code>
          </p>
        )}
      </div>
      <OutlineCard title="Lessons" none="No lessons are registered yet." items={outline.lessons.map((l) => ({
        number: l.number,
        className: "gap-4",
        content: (
          <>
            <Link href={`${base}/lessons/${l.number}`}>{numberedTitle("Lesson", l.number, l.title)}</Link>
            <Link href={`${base}/lessons/${l.number}/quiz`} className="text-sm">Quiz</Link>
            {teaches && <Link href={`${base}/lessons/${l.number}/quiz/statistics`} className="text-sm">Quiz statistics</Link>}
          </>
        ),
      }))} />
      <OutlineCard title="Assignments" none="No assignments are registered yet." items={outline.assignments.map((a) => ({
        number: a.number,
        className: "items-baseline gap-x-4",
        content: (
          <>
            <Link href={`${base}/assignments/${a.number}`}>{numberedTitle("Assignment", a.number, a.title)}</Link>
            {a.dueAt && <span className="text-sm text-slate-500">due {a.dueAt.toUTCString()}</span>}
            <Link href={`${base}/assignments/${a.number}/leaderboard`} className="text-sm">Leaderboard</Link>
            {teaches && (
              <>
                <Link href={`${base}/assignments/${a.number}/submissions`} className="text-sm">Submissions</Link>
                <Link href={`${base}/assignments/${a.number}/gradebook`} className="text-sm">Gradebook</Link>
                <Link href={`${base}/assignments/${a.number}/datasets`} className="text-sm">Datasets</Link>
              </>
            )}
          </>
        ),
      }))} />
      <Card>
        <CardTitle>Your own data</CardTitle>
        <p className="mt-2 text-slate-600">
          Upload a dataset of your own images, see its data-quality report, and train practice runs on it.{" "}
          <Link href={`${base}/datasets`}>{teaches ? "Students' datasets" : "My datasets"}</Link>
        </p>
      </Card>
    </div>
  );
}
