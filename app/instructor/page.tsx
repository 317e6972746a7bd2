import Link from "next/link";
import { getDb } from "@/db";
import { requireInstructor } from "@/app/_lib/auth/session";
import { listMyCourses } from "@/db/queries/courses/my-courses";
import { numberedTitle } from "@/app/_lib/text/numbered-title";
import { RegenerateJoinCodeButton } from "./regenerate-button";
import { Card } from "@/app/_components/ui/card";
import { DataTable } from "@/app/_components/ui/data-table";

export const metadata = { title: "Instructor" };

/** The courses this instructor teaches: members, join code, and each assignment's and lesson's instructor pages. */
export default async function InstructorPage() {
  const user = await requireInstructor("/instructor");
  const taught = (await listMyCourses(await getDb(), user.id)).filter((c) => c.role === "instructor");
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Instructor dashboard</h1>
      {taught.length === 0 && <p className="text-slate-600">You do not teach a course yet.</p>}
      {taught.map((c) => {
        const base = `/courses/${c.slug}`;
        return (
          <Card key={c.id} className="space-y-4" aria-labelledby={`course-${c.id}`}>
            <div className="flex flex-wrap items-baseline gap-x-6 gap-y-2">
              <h2 id={`course-${c.id}`} className="text-xl font-semibold"><Link href={base}>{c.title}</Link></h2>
              <span className="text-sm text-slate-600">{c.members} members</span>
              <span className="text-sm">Join code: <RegenerateJoinCodeButton courseId={c.id} code={c.joinCode ?? ""} /></span>
            </div>
            <DataTable
              label={`Assignments of ${c.title}`}
              layout="cards"
              rows={c.assignments}
              rowKey={(a) => a.number}
              empty={<p className="text-sm text-slate-500">No assignments are registered yet.</p>}
              columns={[
                { header: "Assignment", cell: (a) => <Link href={`${base}/assignments/${a.number}`}>{numberedTitle("Assignment", a.number, a.title)}</Link> },
                {
                  header: "Instructor pages",
                  label: "",
                  cell: (a) => {
                    const path = `${base}/assignments/${a.number}`;
                    return (
                      <span className="flex flex-wrap gap-x-4 gap-y-1">
                        <Link href={`${path}/submissions`}>All submissions</Link>
                        <Link href={`${path}/gradebook`}>Gradebook</Link>
                        <Link href={`${path}/datasets`}>Datasets</Link>
                        <Link href={`${path}/leaderboard`}>Leaderboard</Link>
                      </span>
                    );
                  },
                },
              ]}
            />
            <ul className="flex flex-wrap gap-4 text-sm">
              {c.lessons.map((l) => (
                <li key={l.number}><Link href={`${base}/lessons/${l.number}/quiz/statistics`}>Lesson {l.number} quiz statistics</Link></li>
              ))}
            </ul>
          </Card>
        );
      })}
    </div>
  );
}
