import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourseInstructor } from "@/app/_lib/auth/course-access";
import Link from "next/link";
import { getGradebook } from "@/domain/grading/gradebook";

export const metadata = { title: "Gradebook" };

const cell = (v: number | null) => (v === null ? "—" : v.toFixed(1));

/** Per student: quiz best, assignment score, report rubric score and the final grade by the formula in assignment.yaml. */
export default async function GradebookPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; number: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug, number } = await params;
  const { after } = await searchParams;
  const base = `/courses/${slug}/assignments/${number}`;
  const { course } = await requireCourseInstructor(slug, `${base}/gradebook`);
  const assignment = await courseAssignmentOr404(course, number);
  const db = await getDb();
  // One page of students by name; a malformed cursor is the first page (lib/cursor.ts).
  const book = await getGradebook(db, assignment, new Date(), { cursor: typeof after === "string" ? after : null });
  const w = book.weights;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <p className="text-sm text-slate-500">{course.title} · Assignment {assignment.number}</p>
          <h1 className="text-3xl font-bold">Gradebook</h1>
        </div>
        <a href={`${base}/gradebook/gradebook.csv`} className="ml-auto rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white no-underline" download>
          Export CSV
        </a>
      </div>
      <p className="text-sm text-slate-600" data-testid="formula">
        Final = {w.quiz} × quiz + {w.assignment} × assignment + {w.report} × report (each 0–100; a missing part counts 0). The assignment
        score is each student&apos;s submission that counts ({book.assignmentScore === "best" ? "the best public score" : "the newest graded one"}, as on the
        leaderboard), on the {book.split} split{book.split === "public" ? " (private after the deadline)" : ""}; an instructor override replaces both of its scores.
      </p>
      <p className="text-sm text-slate-600" data-testid="gradebook-count">
        {book.total} student{book.total === 1 ? "" : "s"}, by name{book.total > book.rows.length ? `; ${book.rows.length} on this page` : ""}.
      </p>
      <table className="w-full rounded-xl bg-white text-left text-sm ring-1 ring-slate-200" data-testid="gradebook">
        <thead className="text-slate-500">
          <tr><th className="p-2">Student</th><th className="p-2">Quiz</th><th className="p-2">Assignment</th><th className="p-2">Report</th><th className="p-2">Final</th></tr>
        </thead>
        <tbody>
          {book.rows.length === 0 && <tr><td colSpan={5} className="p-3 text-slate-500">No students are enrolled yet.</td></tr>}
          {book.rows.map((r) => (
            <tr key={r.userId} className="border-t border-slate-100 tabular-nums">
              <td className="p-2">{r.name}<span className="block text-xs text-slate-500">{r.email}</span></td>
              <td className="p-2">{cell(r.quiz)}</td>
              <td className="p-2">{cell(r.assignment)}{r.assignmentSource === "override" && <span className="ml-1 text-xs text-amber-700">(override)</span>}</td>
              <td className="p-2">{cell(r.report)}</td>
              <td className="p-2 font-semibold">{r.final.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="flex gap-4 text-sm" aria-label="Gradebook pages">
        {after && <Link href={`${base}/gradebook`}>First page</Link>}
        {book.nextCursor && <Link href={`${base}/gradebook?after=${book.nextCursor}`} data-testid="next-page">Next page</Link>}
      </nav>
    </div>
  );
}
