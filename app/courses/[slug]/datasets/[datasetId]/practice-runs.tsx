import Link from "next/link";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { Button } from "@/app/_components/ui/button";
import { DataTable } from "@/app/_components/ui/data-table";
import { LongText } from "@/app/_components/ui/long-text";
import { RunStatus } from "@/app/_components/runs/run-status";
import { getDb } from "@/db";
import { effectiveAssignmentConfig } from "@/db/queries/assignments/effective-assignment-config";
import { runAssignmentConfig } from "@/db/queries/assignments/run-config";
import type { OwnDatasetRow } from "@/db/queries/own-datasets/find-own-dataset";
import { datasetRuns, type DatasetRunRow } from "@/db/queries/practice-runs/dataset-runs";
import { latestBuiltSpec } from "@/db/queries/submissions/latest-built-spec";
import { submissionsLeftToday } from "@/db/queries/submissions/submissions-left-today";
import { loadReferenceSpecs } from "@/grader/assignment/reference-specs";
import { ownDatasetsOf } from "@/grader/assignment/schema";
import { registeredBases } from "@/grader/registry/registered-bases";
import { startingSpec } from "@/app/courses/[slug]/assignments/[number]/starting-spec";
import { PracticeRunForm } from "./practice-run-form";
import { practicePresets } from "./practice-presets";
import { RefreshWhileActive } from "./refresh-while-active";

const PURPOSE_LABEL: Record<string, string> = { practice: "practice", graded: "graded submission", baseline: "platform baseline" };

/**
 * The "Practice runs" section of a dataset's page: the form that starts an ungraded run of any spec the assignment
 * accepts on this dataset (its owner only), the runs made on it with their status and test-split macro-F1, links to
 * each run's report, and a Compare form for two or more finished runs (the compare page checks the choice again).
 */
export async function PracticeRuns({ dataset, own, courseSlug }: { dataset: OwnDatasetRow; own: boolean; courseSlug: string }) {
  const db = await getDb();
  const [config, runConfig, runs] = await Promise.all([
    effectiveAssignmentConfig(db, dataset.assignmentId),
    runAssignmentConfig(db, dataset.assignmentId, dataset.id),
    datasetRuns(db, { studentDatasetId: dataset.id, userId: dataset.userId }),
  ]);
  const caps = config ? ownDatasetsOf(config) : null;
  const base = `/courses/${courseSlug}/datasets/${dataset.id}`;
  const active = runs.some((r) => r.status === "queued" || r.status === "running");
  const finished = runs.filter((r) => r.status === "succeeded" && r.macroF1 !== null);

  let form: React.ReactNode = null;
  if (own && config && runConfig && caps) {
    const left = await submissionsLeftToday(db, { assignmentId: dataset.assignmentId, userId: dataset.userId, dailyLimit: caps.dailyPracticeRuns, purpose: "practice" });
    const last = await latestBuiltSpec(db, { assignmentId: dataset.assignmentId, userId: dataset.userId, purpose: "practice", studentDatasetId: dataset.id });
    const lastStart = last ? startingSpec({ kind: last.kind, spec: last.spec as Record<string, unknown> }).start : null;
    const bases = registeredBases();
    const presets = practicePresets({
      reference: await loadReferenceSpecs(config),
      previous: last && lastStart ? { spec: lastStart, createdAt: last.createdAt } : null,
      classes: dataset.classes.length,
      inputShape: runConfig.inputShape,
      bases,
    });
    form = (
      <>
        <p className="mt-1 text-sm text-slate-600" data-testid="practice-quota">
          {left} of {caps.dailyPracticeRuns} practice runs left today (UTC). Practice runs are not graded and use none of the
          assignment&apos;s submissions; they wait behind graded submissions in the queue.
        </p>
        <div className="mt-4">
          <PracticeRunForm
            postUrl={`/api/courses/${courseSlug}/datasets/${dataset.id}/practice-runs`}
            limits={{ inputShape: runConfig.inputShape, classes: runConfig.classes, budget: runConfig.budget }}
            bases={bases.filter((b) => b.inputShape.join("x") === runConfig.inputShape.join("x"))}
            presets={presets}
            disabledReason={left === 0 ? "You have used today's practice runs; the quota resets at midnight UTC." : null}
          />
        </div>
      </>
    );
  }

  return (
    <Card aria-labelledby="practice-heading" data-testid="practice-runs">
      <RefreshWhileActive active={active} />
      <CardTitle id="practice-heading">Practice runs</CardTitle>
      <p className="mt-2 text-sm text-slate-600">
        Train any model the assignment accepts on this dataset: it trains on the train part ({dataset.quality.split.train} images),
        validates on the validation part ({dataset.quality.split.validation}) and is scored on the test part ({dataset.quality.split.test}),
        with the same seeded training and the same report as a graded submission. Try the lesson&apos;s CNN and a transfer recipe, then compare them.
      </p>
      {own && !caps && <p className="mt-2 text-sm text-amber-800">This assignment takes no practice runs.</p>}
      {form}

      <h3 className="mt-6 font-semibold">Runs on this dataset</h3>
      <form method="get" action={`${base}/compare`} aria-label="Compare runs" className="mt-2 space-y-3">
        <DataTable
          label="Runs on this dataset"
          layout="cards"
          rows={runs}
          rowKey={(r) => r.id}
          empty={<p className="p-3 text-slate-500">No runs yet.</p>}
          columns={[
            {
              header: "Compare",
              cell: (r: DatasetRunRow) =>
                r.status === "succeeded" && r.macroF1 !== null ? (
                  <input type="checkbox" name="runs" value={r.id} aria-label={`Compare ${r.name ?? r.kind}`} className="h-4 w-4" />
                ) : (
                  <span className="text-xs text-slate-400">—</span>
                ),
            },
            {
              header: "Run",
              cell: (r) => (
                <span className="[overflow-wrap:anywhere]">
                  <Link href={`/submissions/${r.id}`}>{r.name ?? `${r.kind} spec`}</Link>
                  <span className="block text-xs text-slate-500">{r.kind} · {PURPOSE_LABEL[r.purpose] ?? r.purpose} · {r.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</span>
                </span>
              ),
            },
            {
              header: "Status",
              cell: (r) => (
                <div className="min-w-0">
                  <RunStatus status={r.status} className="text-sm" data-testid="run-status" />
                  {r.errorMessage && r.status !== "succeeded" ? <LongText text={r.errorMessage} limit={60} className="block text-xs text-slate-600" /> : null}
                </div>
              ),
            },
            { header: "Macro-F1 (test)", numeric: true, cell: (r) => (r.macroF1 === null ? "—" : r.macroF1.toFixed(3)) },
            { header: "Accuracy (test)", numeric: true, cell: (r) => (r.accuracy === null ? "—" : `${(r.accuracy * 100).toFixed(1)}%`) },
          ]}
        />
        {finished.length >= 2 ? (
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" variant="secondary">Compare</Button>
            <span className="text-sm text-slate-600">Tick two or more finished runs.</span>
          </div>
        ) : (
          <p className="text-sm text-slate-600">Once two runs have finished you can compare them side by side.</p>
        )}
      </form>
    </Card>
  );
}
