import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { requireUser } from "@/app/_lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { isPastDeadline } from "@/domain/grading/counted-submission";
import { getSubmissionDetail, type SubmissionDetail } from "@/db/queries/submissions/submission-detail";
import { ownDataGradedReport, visibleReport } from "@/domain/grading/visible-report";
import { getRubricGrade, NO_WRITTEN_REPORT_WARNING } from "@/domain/grading/grade-rubric";
import { getQueuePosition } from "@/db/queries/submissions/queue-position";
import { publicRankWithScore } from "@/db/queries/leaderboard/ranked-counted-submissions";
import { currentCountedScore } from "@/domain/grading/current-counted-score";
import { OverrideForm, RegradeButton, RubricForm } from "@/app/courses/[slug]/assignments/[number]/submissions/instructor-panel";
import { parseGradingProgress, parseProgressHistory } from "@/grader/contracts/grading-progress";
import { LiveStatus } from "./live-status";
import { ReportView } from "./report-view";
import { RubricGradeView } from "./rubric-grade";
import { Card } from "@/app/_components/ui/card";
import { TableCard } from "@/app/_components/ui/table-card";
import { RunStatus } from "@/app/_components/runs/run-status";
import { courseViewer } from "@/app/_lib/auth/course-access";
import { writtenReportForReading } from "@/domain/written-reports/written-report";
import { WrittenReportBody } from "@/app/_components/written-report/written-report-body";
import { datasetScoreState } from "@/domain/grading/dataset-score-state";
import { DatasetScoreCard } from "./dataset-score";
import { studentDatasetOwner } from "@/db/queries/runs/run-rows";
import { ownDataRunReport } from "@/domain/practice-runs/own-data-report";
import { PracticeRunLabel } from "./practice-run-label";

export const metadata = { title: "Submission" };

async function load(user: { id: string; role: "student" | "instructor" }, id: string): Promise<SubmissionDetail> {
  try {
    return await getSubmissionDetail(await getDb(), user, id);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

/**
 * One submission: live grading status while it is queued or running, then the scored report. Only
 * its owner and instructors get here; everyone else gets the 404 page (checked on the server).
 */
export default async function SubmissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // An instructor of another course sees this page as a student would: not at all, unless it is theirs.
  const user = await courseViewer(await requireUser(`/submissions/${id}`), { submissionId: id });
  const detail = await load(user, id);
  const { submission, owner, runs, overrides } = detail;
  const db = await getDb();
  const assignment = await findAssignmentById(db, submission.assignmentId);
  const isInstructor = user.role === "instructor";
  const pastDeadline = isPastDeadline(assignment);
  const latest = runs[runs.length - 1] ?? null;
  const previous = runs.length > 1 ? runs[runs.length - 2]! : null;
  const grading = submission.status === "queued" || submission.status === "running";
  // A practice run (or the platform's baseline) on a student's own dataset: ungraded, so none of the grading below applies.
  const ungraded = submission.purpose !== "graded";
  const ownData = ungraded && submission.studentDatasetId ? await studentDatasetOwner(db, submission.studentDatasetId) : null;
  const canResubmit = !isInstructor && !ungraded && submission.kind !== "model" && submission.spec !== null;

  let rankChange: { before: number; after: number } | null = null;
  if (isInstructor && latest && previous && latest.publicScore !== null && previous.publicScore !== null) {
    rankChange = {
      before: await publicRankWithScore(db, assignment.id, owner.id, previous.publicScore),
      after: await publicRankWithScore(db, assignment.id, owner.id, latest.publicScore),
    };
  }
  // Whether this is the owner's submission that counts (the one the leaderboard and gradebook take).
  const counted = await currentCountedScore(db, assignment, owner.id);
  const countsNow = counted?.submissionId === submission.id;
  // The instructor sees the owner's grade in the form; a student only ever their own (load() 404s others).
  const rubric = await getRubricGrade(db, assignment.id, isInstructor ? owner.id : user.id, assignment.config.rubric);
  const showPrivate = isInstructor || pastDeadline;
  // A run on a student's own dataset: its dataset, the platform's baseline there, and whether its score waits for it.
  const datasetState = await datasetScoreState(db, submission, assignment, latest !== null && latest.publicScore !== null);
  // The report the student wrote on the platform, with the runs it embeds, for the instructor grading it.
  const writtenReport = isInstructor ? await writtenReportForReading(db, { assignmentId: assignment.id, courseId: assignment.courseId, ownerId: owner.id }) : null;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link href={`/courses/${assignment.courseSlug}/assignments/${assignment.number}`}>Assignment {assignment.number}</Link> · {ungraded ? "practice run" : "submission"}
        </p>
        {ungraded && <PracticeRunLabel purpose={submission.purpose} dataset={ownData} courseSlug={assignment.courseSlug} />}
        <h1 className="text-3xl font-bold [overflow-wrap:anywhere]">
          {(submission.spec as { name?: string } | null)?.name ?? (submission.kind === "model" ? "Trained model" : `${submission.kind} spec`)}
        </h1>
        <p className="mt-1 flex flex-wrap items-center gap-3 text-sm text-slate-600 [overflow-wrap:anywhere]">
          <RunStatus status={submission.status} data-testid="submission-status" />
          <span>{submission.kind}</span>
          <span>submitted {submission.createdAt.toUTCString()}</span>
          {submission.run > 1 && <span>run {submission.run}</span>}
          {isInstructor && <span>by {owner.name} ({owner.email})</span>}
          {canResubmit && <Link href={`/courses/${assignment.courseSlug}/assignments/${assignment.number}?from=${submission.id}`}>Submit again from this one</Link>}
          {submission.writtenReportKey && <a href={`/api/submissions/${submission.id}/written-report`}>Written report ({submission.writtenReportType})</a>}
        </p>
      </div>

      {grading && (
        <LiveStatus
          submissionId={submission.id}
          initial={{
            status: submission.status,
            queuePosition: await getQueuePosition(db, submission.id),
            progress: parseGradingProgress(submission.progress),
            errorMessage: submission.errorMessage,
          }}
          history={parseProgressHistory(submission.progressHistory)}
        />
      )}

      {(submission.status === "failed" || submission.status === "rejected") && (
        <section role="alert" className="rounded-xl bg-red-50 p-6 ring-1 ring-red-200" data-testid="failure-reason">
          <h2 className="text-xl font-semibold text-red-900">{submission.status === "rejected" ? "Not accepted for grading" : "Grading failed"}</h2>
          <p className="mt-2 whitespace-pre-wrap text-red-900 [overflow-wrap:anywhere]">{submission.errorMessage ?? "No reason was recorded."}</p>
          {submission.status === "rejected" && <p className="mt-2 text-sm text-red-800">Rejected submissions use none of your daily quota. Fix the spec and submit again.</p>}
        </section>
      )}

      {counted && !ungraded && (
        <p className="text-sm text-slate-700" data-testid="counts">
          {countsNow ? (
            <>
              This is the submission that counts{isInstructor ? " for this student" : ""}: {datasetState ? "" : `${counted.split} `}score{" "}
              <strong>{counted.score.toFixed(2)}</strong>
              {counted.source === "override" ? " (an instructor's override)" : ""}.
            </>
          ) : (
            <>
              Not the submission that counts: <Link href={`/submissions/${counted.submissionId}`}>the one of {counted.submittedAt.toUTCString()}</Link> does
              ({datasetState ? "" : `${counted.split} `}score {counted.score.toFixed(2)}).
            </>
          )}{" "}
          <Link href={`/courses/${assignment.courseSlug}/assignments/${assignment.number}#counting`}>Which submission counts</Link>
        </p>
      )}

      {datasetState && !ungraded && <DatasetScoreCard state={datasetState} courseSlug={assignment.courseSlug} isInstructor={isInstructor} />}

      {overrides[0] && (
        <section className="rounded-xl bg-amber-50 p-4 ring-1 ring-amber-200" data-testid="override">
          Score set to <strong>{overrides[0].score}</strong> by {overrides[0].byName}: {overrides[0].reason}
        </section>
      )}

      {runs.length > 1 && (
        <TableCard
          heading="Runs"
          testId="runs"
          label="Runs of this submission"
          layout="cards"
          rows={runs}
          rowKey={(r) => r.run}
          columns={[
            { header: "Run", numeric: true, cell: (r) => r.run },
            { header: "Public score", numeric: true, cell: (r) => r.publicScore?.toFixed(1) ?? "—" },
            ...(showPrivate ? [{ header: "Private score", numeric: true, cell: (r: (typeof runs)[number]) => r.privateScore?.toFixed(1) ?? "—" }] : []),
            { header: "Graded", cell: (r) => r.createdAt.toUTCString() },
          ]}
        >
          {rankChange && (
            <p className="mt-2 text-sm" data-testid="rank-change">
              Leaderboard rank with run {previous!.run}: {rankChange.before}; with run {latest!.run}: {rankChange.after}
              {rankChange.before === rankChange.after ? " (unchanged)" : rankChange.after < rankChange.before ? ` (up ${rankChange.before - rankChange.after})` : ` (down ${rankChange.after - rankChange.before})`}.
            </p>
          )}
        </TableCard>
      )}

      {isInstructor && !ungraded && (
        <Card className="grid gap-6 md:grid-cols-2" data-testid="instructor-tools">
          <div>
            <h2 className="font-semibold">Regrade</h2>
            <p className="mb-2 text-sm text-slate-600">Grades it again as run {submission.run + 1}; this report stays for comparison.</p>
            <RegradeButton submissionId={submission.id} disabled={grading || submission.status === "rejected"} />
          </div>
          <div>
            <h2 className="font-semibold">Override score</h2>
            <OverrideForm submissionId={submission.id} />
          </div>
        </Card>
      )}

      {isInstructor && submission.purpose === "baseline" && (
        <Card data-testid="baseline-tools">
          <h2 className="font-semibold">Regrade the baseline</h2>
          <p className="mb-2 text-sm text-slate-600">
            The platform&apos;s reference CNN on this dataset: graded submissions on it are scored against this run, and wait for it while it
            has no report. If it failed, grade it again; the submissions waiting for it are scored when it finishes.
          </p>
          <RegradeButton submissionId={submission.id} disabled={grading || submission.status === "rejected"} />
        </Card>
      )}

      {isInstructor && !ungraded && (
        <section className="grid gap-6 lg:grid-cols-3" data-testid="report-grading" aria-label="Written report and rubric">
          <Card className="lg:col-span-2" data-testid="instructor-written-report">
            <h2 className="text-xl font-semibold">Written report</h2>
            {writtenReport?.state.handedInAt ? (
              <>
                <p className="mt-1 mb-3 text-sm text-slate-600">
                  Written on the platform by {owner.name}, handed in {new Date(writtenReport.state.handedInAt).toUTCString()}. Its figures are drawn from
                  the stored reports of the runs it names.
                </p>
                <WrittenReportBody body={writtenReport.state.body} runs={writtenReport.runs} />
              </>
            ) : (
              <p className="mt-1 text-sm text-slate-600" data-testid="no-written-report">
                {writtenReport
                  ? `${owner.name} is writing a report on the platform but has not handed it in yet (last saved ${new Date(writtenReport.state.updatedAt!).toUTCString()}); a draft stays private until then.`
                  : `${owner.name} has not written a report on the platform.`}
                {submission.writtenReportKey ? " The file attached to this submission is linked above." : ""}
              </p>
            )}
          </Card>
          <Card as="div" className="self-start lg:sticky lg:top-4">
            <h2 className="font-semibold">Written report rubric</h2>
            {rubric && <p className="text-sm text-slate-600">Current grade: {rubric.total} / {rubric.maxTotal}</p>}
            <RubricForm
              submissionId={submission.id}
              criteria={assignment.config.rubric.criteria}
              current={rubric?.scores ?? null}
              comment={rubric?.comment ?? null}
              noReportWarning={submission.writtenReportKey || writtenReport?.state.handedInAt ? null : NO_WRITTEN_REPORT_WARNING}
            />
          </Card>
        </section>
      )}

      {!isInstructor && !ungraded && (
        <RubricGradeView rubric={assignment.config.rubric} weight={assignment.config.gradebook.weights.report} grade={rubric} submissionId={submission.id} />
      )}

      {latest?.report ? (
        <ReportView
          visible={ungraded ? ownDataRunReport(latest.report) : datasetState ? ownDataGradedReport(latest.report) : visibleReport(latest.report, { isInstructor, pastDeadline })}
          splitLabels={ungraded ? { public: `test split of ${ownData?.name ?? "the dataset"}` } : datasetState ? { public: `test split of ${datasetState.datasetName}` } : undefined}
          classes={latest.report.assignment.classes}
          scoreNote={ungraded
            ? "A practice run is not scored and counts for nothing: its figures below are on the test split of your own dataset."
            : datasetState?.waitingForBaseline ? "No score yet: it is measured against the platform's baseline on this dataset, which has not finished (see above)." : undefined}
        />
      ) : (
        !grading && submission.status === "succeeded" && <p className="text-slate-600">The report of this run is not available.</p>
      )}
    </div>
  );
}
