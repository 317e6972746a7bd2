import { getDb } from "@/db";
import { courseAssignmentOr404, requireCourseInstructor } from "@/app/_lib/auth/course-access";
import Link from "next/link";
import { getGradebook } from "@/domain/grading/gradebook";
import { Card } from "@/app/_components/ui/card";
import { buttonClasses } from "@/app/_components/ui/button";
import { DataTable } from "@/app/_components/ui/data-table";

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
        {/* A plain link: a file to download, not a page for the client router. */}
        <a href={`${base}/gradebook/gradebook.csv`} className={buttonClasses({ size: "sm", className: "ml-auto hover:no-underline" })} download>
          Export CSV
        </a>
      </div>
      <p className="text-sm text-slate-600" data-testid="formula">
        Final = {w.quiz} × quiz + {w.assignment} × assignment + {w.report} × report (each 0–100; a missing part counts 0). The assignment
        score is each student&apos;s submission that counts ({book.assignmentScore === "best" ? "the best public score" : "the newest graded one"}, as on the
        leaderboard), on the {book.split} split{book.split === "public" ? " (private after the deadline)" : ""}; an instructor override replaces both of its scores.
        The assignment grade leaves the quiz out: ({w.assignment} × assignment + {w.report} × report) / {Math.round((w.assignment + w.report) * 100) / 100}.
        It is what an LMS that launched Tensorgrade receives for the assignment, while the quiz goes to a column of its own.
      </p>
      {assignment.config.score.kind === "improvement" && (
        <p className="text-sm text-slate-600" data-testid="improvement-formula">
          Each student is graded on their own dataset: the assignment part is the improvement of the counted submission&apos;s{" "}
          {assignment.config.score.metric} over the platform&apos;s baseline (the lesson&apos;s CNN trained once on the same dataset) —{" "}
          {assignment.config.score.zeroAt} scores 0 and +{assignment.config.score.fullMarksAt} (or a perfect metric) scores 100 — shown under
          each score as the student&apos;s metric against the baseline&apos;s. The report part is the rubric grade of the written report.
        </p>
      )}
      <p className="text-sm text-slate-600" data-testid="gradebook-count">
        {book.total} student{book.total === 1 ? "" : "s"}, by name{book.total > book.rows.length ? `; ${book.rows.length} on this page` : ""}.
      </p>
      <Card as="div" padding="none" data-testid="gradebook">
        <DataTable
          label="Gradebook"
          layout="cards"
          rows={book.rows}
          rowKey={(r) => r.userId}
          empty={<p className="p-3 text-slate-500">No students are enrolled yet.</p>}
          columns={[
            { header: "Student", cell: (r) => <span className="[overflow-wrap:anywhere]">{r.name}<span className="block text-xs text-slate-500">{r.email}</span></span> },
            { header: "Quiz", numeric: true, cell: (r) => cell(r.quiz) },
            {
              header: "Assignment",
              numeric: true,
              cell: (r) => (
                <>
                  {cell(r.assignment)}
                  {r.assignmentSource === "override" && <span className="ml-1 text-xs text-amber-700">(override)</span>}
                  {r.metricPart && (
                    <span className="block text-xs text-slate-500" data-testid="metric-part">
                      {r.metricPart.metric} {r.metricPart.student.toFixed(3)} vs baseline {r.metricPart.baseline.toFixed(3)} (
                      {r.metricPart.improvement >= 0 ? "+" : "−"}{Math.abs(r.metricPart.improvement).toFixed(3)})
                    </span>
                  )}
                </>
              ),
            },
            { header: "Report", numeric: true, cell: (r) => cell(r.report) },
            { header: "Assignment grade", numeric: true, cell: (r) => cell(r.assignmentGrade) },
            { header: "Final", numeric: true, className: "font-semibold", cell: (r) => r.final.toFixed(1) },
          ]}
        />
      </Card>
      <nav className="flex gap-4 text-sm" aria-label="Gradebook pages">
        {after && <Link href={`${base}/gradebook`}>First page</Link>}
        {book.nextCursor && <Link href={`${base}/gradebook?after=${book.nextCursor}`} data-testid="next-page">Next page</Link>}
      </nav>
    </div>
  );
}
