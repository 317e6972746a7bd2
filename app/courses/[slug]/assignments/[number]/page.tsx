import Link from "next/link";
import ReactMarkdown from "react-markdown";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { courseAssignmentOr404, requireCourse } from "@/app/_lib/auth/course-access";
import { courseOutline } from "@/db/queries/courses/course-outline";
import { getSubmissionDetail } from "@/db/queries/submissions/submission-detail";
import { listSubmissions } from "@/db/queries/submissions/list-submissions";
import { submissionsLeftToday } from "@/db/queries/submissions/submissions-left-today";
import { countingRuleText, isPastDeadline } from "@/domain/grading/counted-submission";
import { currentCountedScore } from "@/domain/grading/current-counted-score";
import { formatCount } from "@/grader/spec/check-budget";
import { registeredBases } from "@/grader/registry/registered-bases";
import { SubmitForm } from "./submit-form";
import { SubmissionHistory } from "./history";
import { startingSpec } from "./starting-spec";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { builderPresets } from "./builder/presets";
import { latestBuiltSpec } from "@/db/queries/submissions/latest-built-spec";
import { loadReferenceSpecs } from "@/grader/assignment/reference-specs";
import { isStudentDatasetMode } from "@/grader/assignment/schema";
import { gradedDatasetChoices } from "@/domain/grading/graded-dataset";
import { WrittenReportSection } from "./written-report/written-report-section";

type Params = { slug: string; number: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: `Assignment ${(await params).number}` };
}

/** A student's newest submissions listed on the page (the daily quota keeps the list short). */
const HISTORY_ROWS = 50;

const formatBytes = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`);

/**
 * The assignment: brief, classes and input size, budget, deadline, submissions left today; the
 * submission form (builder, spec, Keras, trained model, written report) and the student's history.
 */
export default async function AssignmentPage(props: { params: Promise<Params>; searchParams: Promise<{ from?: string }> }) {
  const { slug, number } = await props.params;
  const { from } = await props.searchParams;
  const base = `/courses/${slug}/assignments/${number}`;
  const { user, course, role } = await requireCourse(slug, base);
  const assignment = await courseAssignmentOr404(course, number);
  const db = await getDb();
  const { config } = assignment;
  const enrolled = user.role === "instructor" || role !== null;
  const lesson = (await courseOutline(db, course.id)).lessons.find((l) => l.number === assignment.number);
  const left = await submissionsLeftToday(db, { assignmentId: assignment.id, userId: user.id, dailyLimit: config.limits.dailySubmissions });
  const pastDeadline = isPastDeadline(assignment);
  const { rows: history } = await listSubmissions(db, assignment.id, { userId: user.id, limit: HISTORY_ROWS });
  const counted = await currentCountedScore(db, assignment, user.id);

  // "Submit again from this one": only one's own submission (another id is simply ignored).
  let from_: Awaited<ReturnType<typeof getSubmissionDetail>> | null = null;
  if (from) {
    try {
      from_ = await getSubmissionDetail(db, { id: user.id, role: "student" }, from);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  const { start, text, cut } = startingSpec(from_?.submission ?? null);
  // The builder starts from the lesson's reference specs, or the student's last CNN/transfer submission.
  const last = await latestBuiltSpec(db, { assignmentId: assignment.id, userId: user.id });
  const lastStart = last ? startingSpec({ kind: last.kind, spec: last.spec as Record<string, unknown> }).start : null;
  const presets = builderPresets({
    reference: await loadReferenceSpecs(config),
    previous: last && lastStart ? { spec: lastStart, createdAt: last.createdAt } : null,
  });
  const limits = { inputShape: config.inputShape, classes: config.classes, budget: config.budget };
  // `datasets: student`: the submission names one of the student's own datasets, whose classes and size it takes.
  const studentMode = isStudentDatasetMode(config);
  const datasetChoices = studentMode
    ? (await gradedDatasetChoices(db, assignment, user.id)).map((d) => ({
        id: d.id, name: d.name, classes: d.classes, imageCount: d.imageCount,
        inputShape: [d.inputSize, d.inputSize, d.channels === 1 ? 1 : 3] as [number, number, 1 | 3],
      }))
    : undefined;
  const disabledReason = !enrolled
    ? "Join the course with your instructor's code before submitting."
    : left === 0
      ? "You have used today's submissions; the quota resets at midnight UTC."
      : null;

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm uppercase tracking-wide text-slate-500">Assignment {assignment.number}</p>
        <h1 className="text-3xl font-bold">{assignment.title}</h1>
        <p className="mt-1 text-sm text-slate-600">
          Due <time dateTime={assignment.dueAt.toISOString()} data-testid="due-at">{assignment.dueAt.toUTCString()}</time>
          {pastDeadline && " — the deadline has passed; private scores are now shown"} ·{" "}
          <Link href={`${base}/leaderboard`}>Leaderboard</Link>
          {role === "instructor" && (
            <>
              {" · "}<Link href={`${base}/submissions`}>All submissions</Link>
              {" · "}<Link href={`${base}/gradebook`}>Gradebook</Link>
              {" · "}<Link href={`${base}/datasets`}>Datasets</Link>
            </>
          )}
        </p>
      </div>

      <section className="grid gap-6 md:grid-cols-3">
        <Card as="div" className="prose prose-slate max-w-none md:col-span-2 [&_ol]:list-decimal [&_ol]:pl-6 [&_p]:my-2">
          <ReactMarkdown>{config.brief}</ReactMarkdown>
          <p className="text-sm text-slate-600">
            {lesson && (
              <>
                The lesson that goes with it: <Link href={`/courses/${course.slug}/lessons/${lesson.number}`}>Lesson {lesson.number}</Link>.{" "}
              </>
            )}
            Your written report is graded against the rubric below.
          </p>
        </Card>
        <Card as="div" className="text-sm" data-testid="assignment-facts">
          <dl className="space-y-3">
          {studentMode ? (
            <div>
              <dt className="text-slate-500">Data</dt>
              <dd data-testid="classes">
                Your own dataset: its classes, and the input size you chose when you uploaded it. The test part stays on the
                server; you never get its predictions one by one.
              </dd>
            </div>
          ) : (
            <>
              <div><dt className="text-slate-500">Classes</dt><dd data-testid="classes">{config.classes.join(", ")}</dd></div>
              <div><dt className="text-slate-500">Input size</dt><dd>{config.inputShape[0]}×{config.inputShape[1]} pixels, {config.inputShape[2]} channel{config.inputShape[2] === 1 ? "" : "s"}</dd></div>
            </>
          )}
          <div>
            <dt className="text-slate-500">Budget</dt>
            <dd>
              ≤ {formatCount(config.budget.maxParams)} parameters, ≤ {formatCount(config.budget.maxFlopsPerImage)} FLOPs per image, ≤ {config.budget.maxEpochs} epochs,
              batch ≤ {config.budget.maxBatchSize}, {config.budget.wallClockSeconds} s per grading job
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Score</dt>
            <dd data-testid="score-rule">
              {config.score.kind === "linear" ? (
                <>{config.score.metric} mapped linearly from {config.score.baseline} (0 points) to {config.score.target} (100 points)</>
              ) : (
                <>
                  your {config.score.metric} on your dataset&apos;s test part minus the platform&apos;s baseline&apos;s (the lesson&apos;s CNN,
                  trained once on the same dataset): an improvement of {config.score.zeroAt} scores 0 and +{config.score.fullMarksAt} (or a
                  perfect {config.score.metric}) scores 100, linearly in between
                </>
              )}
            </dd>
          </div>
          <div><dt className="text-slate-500">Submissions left today</dt><dd data-testid="submissions-left">{left} of {config.limits.dailySubmissions}</dd></div>
          </dl>
        </Card>
      </section>

      <Card>
        <CardTitle>Written report rubric</CardTitle>
        <ul className="mt-2 space-y-1 text-sm">
          {config.rubric.criteria.map((c) => <li key={c.id}><strong>{c.title}</strong> ({c.maxPoints} points): {c.description}</li>)}
        </ul>
      </Card>

      {role === "student" && <WrittenReportSection assignment={assignment} userId={user.id} />}

      <section id="submit" className="rounded-xl bg-slate-50 p-6 ring-1 ring-slate-200">
        <h2 className="mb-3 text-xl font-semibold">Submit</h2>
        {from_ && <p className="mb-3 text-sm text-slate-600">Starting from your submission of {from_.submission.createdAt.toUTCString()}.</p>}
        {cut && (
          <p role="note" data-testid="spec-cut" className="mb-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            That spec was refused and only its first {formatBytes(cut.keptBytes)} of {formatBytes(cut.originalBytes)} were kept, so the
            text below is cut short: paste or upload your whole spec again, with the fix.
          </p>
        )}
        <SubmitForm submitUrl={`/api/courses/${encodeURIComponent(course.slug)}/assignments/${assignment.number}/submissions`} assignment={limits} bases={registeredBases()} start={start} startText={text} presets={presets} disabledReason={disabledReason} datasets={datasetChoices} datasetsUrl={`/courses/${course.slug}/datasets`} />
      </section>

      <Card id="counting" data-testid="counting-rule">
        <CardTitle>Which submission counts</CardTitle>
        <p className="mt-2 text-sm">{countingRuleText(config.gradebook.assignmentScore, { ownData: studentMode })}</p>
        <p className="mt-2 text-sm" data-testid="counted-submission">
          {counted ? (
            <>
              Yours now: <Link href={`/submissions/${counted.submissionId}`}>the submission of {counted.submittedAt.toUTCString()}</Link>, {counted.split} score{" "}
              <strong>{counted.score.toFixed(2)}</strong>
              {counted.source === "override" ? " (set by your instructor)" : ""}.
            </>
          ) : (
            "None of your submissions is graded yet."
          )}
        </p>
      </Card>

      <section>
        <h2 className="mb-3 text-xl font-semibold">Your submissions</h2>
        <SubmissionHistory rows={history} assignmentPath={base} showPrivate={pastDeadline} />
      </section>
    </div>
  );
}
