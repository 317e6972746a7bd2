import { getDb } from "@/db";
import { reportedRunsOfUser } from "@/db/queries/runs/run-rows";
import { embeddableRunViews } from "@/domain/runs/load-runs";
import { approachOf } from "@/domain/runs/run-view";
import { embeddedRunIds, parseReport } from "@/domain/written-reports/embeds";
import { writtenReportState } from "@/domain/written-reports/written-report";
import { getRubricGrade } from "@/domain/grading/grade-rubric";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import Link from "next/link";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { ReportEditor, type PickableRun } from "./report-editor";

/** Runs the picker lists, newest first. */
const PICKER_RUNS = 200;

/**
 * The assignment page's written report: the student's editor (draft, preview with embedded runs, hand-in),
 * filled from the server so a reload shows what was saved. Students of the course only.
 */
export async function WrittenReportSection({ assignment, userId }: { assignment: { id: string; courseId: string; config: Pick<AssignmentConfig, "rubric"> }; userId: string }) {
  const db = await getDb();
  const grade = await getRubricGrade(db, assignment.id, userId, assignment.config.rubric);
  const state = await writtenReportState(db, assignment.id, userId);
  const rows = await reportedRunsOfUser(db, { userId, courseId: assignment.courseId, limit: PICKER_RUNS });
  const runs: PickableRun[] = rows.map((r) => {
    const name = (r.spec as { name?: unknown } | null)?.name;
    return {
      id: r.id,
      label: typeof name === "string" && name.trim() ? name.trim() : `${r.kind} spec`,
      approach: approachOf(r.kind),
      purpose: r.purpose,
      datasetKey: r.studentDatasetId ?? `assignment:${r.assignmentId}`,
      datasetName: r.studentDatasetId ? `${r.datasetName} (your dataset)` : `${r.datasetName} (assignment ${r.assignmentNumber})`,
      createdAt: r.createdAt.toISOString(),
    };
  });
  const initialViews = await embeddableRunViews(db, { userId, courseId: assignment.courseId }, embeddedRunIds(parseReport(state.body)));
  return (
    <Card id="written-report" data-testid="written-report">
      <CardTitle>Your written report</CardTitle>
      <p className="mt-1 mb-3 text-sm text-slate-600">
        Write it here in Markdown and embed your runs: their figures are drawn from the stored reports, so they are the real ones. It is saved as
        a draft while you type; hand it in when it is finished (a handed-in report is final). You can still attach a PDF or Markdown file to a
        submission below instead.
      </p>
      {grade && (
        <p className="mb-3 rounded bg-green-50 p-2 text-sm text-green-900 ring-1 ring-green-200" data-testid="written-report-grade">
          Your instructor graded your written report: {grade.total} / {grade.maxTotal}.{" "}
          {grade.submissionId && <Link href={`/submissions/${grade.submissionId}`}>Points per criterion and comments</Link>}
        </p>
      )}
      <ReportEditor assignmentId={assignment.id} initial={state} runs={runs} initialViews={initialViews} />
    </Card>
  );
}
