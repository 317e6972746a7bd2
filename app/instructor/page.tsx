import Link from "next/link";
import { count, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { courses, enrollments } from "@/db/schema";
import { requireInstructor } from "@/app/_lib/auth/session";
import { RegenerateJoinCodeButton } from "./regenerate-button";

export const metadata = { title: "Instructor" };

export default async function InstructorPage() {
  await requireInstructor("/instructor");
  const db = await getDb();
  const rows = await db
    .select({ id: courses.id, slug: courses.slug, title: courses.title, joinCode: courses.joinCode, members: count(enrollments.userId) })
    .from(courses)
    .leftJoin(enrollments, eq(enrollments.courseId, courses.id))
    .groupBy(courses.id);
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Instructor dashboard</h1>
      <table className="w-full rounded-xl bg-white text-left ring-1 ring-slate-200">
        <thead className="text-sm text-slate-500">
          <tr><th className="p-3">Course</th><th className="p-3">Members</th><th className="p-3">Join code</th></tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} className="border-t border-slate-100">
              <td className="p-3"><Link href={`/courses/${c.slug}`}>{c.title}</Link></td>
              <td className="p-3">{c.members}</td>
              <td className="p-3"><RegenerateJoinCodeButton courseId={c.id} code={c.joinCode} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="grid gap-3 md:grid-cols-3">
        <li className="rounded-lg bg-white p-4 ring-1 ring-slate-200"><Link href="/instructor/quizzes">Quiz statistics</Link></li>
        <li className="rounded-lg bg-white p-4 ring-1 ring-slate-200"><Link href="/instructor/submissions">All submissions</Link></li>
        <li className="rounded-lg bg-white p-4 ring-1 ring-slate-200"><Link href="/instructor/gradebook">Gradebook</Link></li>
      </ul>
    </div>
  );
}
