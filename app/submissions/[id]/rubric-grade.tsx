import Link from "next/link";
import type { RubricGrade } from "@/domain/grading/grade-rubric";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { Card } from "@/app/_components/ui/card";
import { DataTable } from "@/app/_components/ui/data-table";

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * The student's rubric grade of their written report, as the instructor saved it: points per criterion,
 * the total, what it weighs in the lesson grade and the instructor's comment — or "not graded yet". The
 * grade is one per student and assignment, so it may have been read from another of their submissions.
 */
export function RubricGradeView(props: {
  rubric: AssignmentConfig["rubric"];
  /** Weight of the report in the lesson grade (gradebook.weights.report, 0–1). */
  weight: number;
  grade: RubricGrade | null;
  submissionId: string;
}) {
  const { rubric, weight, grade } = props;
  const percent = Math.round(weight * 100);
  return (
    <Card data-testid="rubric-grade" aria-labelledby="rubric-grade-heading">
      <h2 id="rubric-grade-heading" className="text-xl font-semibold">Written report grade</h2>
      <p className="mt-1 text-sm text-slate-600">The rubric grade of your written report counts {percent}% of the lesson grade.</p>
      {!grade ? (
        <p className="mt-3 text-slate-700" data-testid="rubric-not-graded">Not graded yet: the instructor has not graded your written report.</p>
      ) : (
        <>
          <div className="mt-3">
            <DataTable
              label="Rubric points per criterion"
              rows={rubric.criteria}
              rowKey={(c) => c.id}
              columns={[
                {
                  header: "Criterion",
                  cell: (c) => (
                    <>
                      <span className="font-medium">{c.title}</span>
                      <span className="block text-xs text-slate-500">{c.description}</span>
                    </>
                  ),
                },
                {
                  header: "Points",
                  numeric: true,
                  className: "text-right whitespace-nowrap",
                  cell: (c) => `${grade.scores[c.id] === undefined ? "—" : fmt(grade.scores[c.id]!)} / ${fmt(c.maxPoints)}`,
                },
              ]}
              footer={
                <tr className="border-t border-slate-300 font-semibold" data-testid="rubric-total">
                  <td className="p-2">Total</td>
                  <td className="p-2 text-right tabular-nums">{fmt(grade.total)} / {fmt(grade.maxTotal)}</td>
                </tr>
              }
            />
          </div>
          <p className="mt-2 text-sm text-slate-600" data-testid="rubric-weighted">
            {fmt(grade.total)} of {fmt(grade.maxTotal)} points is {fmt((100 * grade.total) / grade.maxTotal)}%, worth{" "}
            {fmt((weight * 100 * grade.total) / grade.maxTotal)} of the {percent} points the report carries in the lesson grade.
          </p>
          {grade.submissionId && grade.submissionId !== props.submissionId && (
            <p className="mt-1 text-sm text-slate-600">
              Graded from the written report of <Link href={`/submissions/${grade.submissionId}`}>another of your submissions</Link>.
            </p>
          )}
          <div className="mt-3">
            <h3 className="text-sm font-semibold">Instructor&apos;s comments</h3>
            <p className="mt-1 whitespace-pre-wrap break-words text-slate-800" data-testid="rubric-comment">{grade.comment ?? "No comments."}</p>
          </div>
          <p className="mt-2 text-xs text-slate-500">Graded {grade.updatedAt.toUTCString()}.</p>
        </>
      )}
    </Card>
  );
}
