import type { ReactNode } from "react";
import { LOG_LOSS_EPSILON } from "@/grader/metrics/log-loss";
import type { SplitMetrics } from "@/grader/report/schema";
import { formatCount } from "@/grader/spec/check-budget";
import type { VisibleReport, VisibleSplit } from "@/domain/grading/visible-report";
import { ConfusionMatrixHeatmap } from "@/app/_components/charts/confusion-matrix-heatmap";
import { RocChart } from "@/app/_components/charts/roc-chart";
import { TrainingCurves } from "@/app/_components/charts/training-curves";
import { Card, CardTitle } from "@/app/_components/ui/card";
import { DataTable } from "@/app/_components/ui/data-table";

const SPLIT_LABEL: Record<VisibleSplit, string> = {
  public: "public part of the held-out set",
  private: "private part of the held-out set",
  all: "whole held-out set",
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function MetricsTable({ splits, metrics, label }: { splits: VisibleSplit[]; metrics: VisibleReport["metrics"]; label: (s: VisibleSplit) => string }) {
  const rows: [string, (m: SplitMetrics) => string][] = [
    ["Examples", (m) => String(m.count)],
    ["Accuracy", (m) => pct(m.accuracy)],
    ["Top-k accuracy", (m) => `${pct(m.topK.accuracy)} (k = ${m.topK.k})`],
    ["Macro precision", (m) => f3(m.macro.precision)],
    ["Macro recall", (m) => f3(m.macro.recall)],
    ["Macro F1", (m) => f3(m.macro.f1)],
    ["Weighted F1", (m) => f3(m.weighted.f1)],
    ["Macro AUC", (m) => (m.macroAuc === null ? "n/a" : f3(m.macroAuc))],
    ["Log loss", (m) => f3(m.logLoss)],
  ];
  return (
    <DataTable
      data-testid="metrics-table"
      label="Metrics per part of the held-out set"
      rows={rows}
      rowKey={([label]) => label}
      columns={[
        { header: "Metric", cell: ([label]) => label },
        ...splits.map((s) => ({ header: label(s), numeric: true, cell: ([, get]: (typeof rows)[number]) => (metrics[s] ? get(metrics[s]!) : "—") })),
      ]}
    />
  );
}

function PerClassTable({ m, split, label }: { m: SplitMetrics; split: VisibleSplit; label: string }) {
  return (
    <DataTable
      data-testid={`per-class-${split}`}
      label={`Per class, on the ${label}`}
      caption={`Per class, on the ${label}`}
      rows={m.perClass}
      rowKey={(c) => c.className}
      columns={[
        { header: "Class", cell: (c) => c.className },
        { header: "Precision", numeric: true, cell: (c) => f3(c.precision) },
        { header: "Recall", numeric: true, cell: (c) => f3(c.recall) },
        { header: "F1", numeric: true, cell: (c) => f3(c.f1) },
        { header: "Support", numeric: true, cell: (c) => c.support },
      ]}
    />
  );
}

/**
 * The rules behind the metrics, for a student wondering why a class they never predicted shows 0 or
 * why a missing class does not. They are scikit-learn's defaults (tests/grader/sklearn-agreement.test.ts),
 * except where a rule below says otherwise.
 */
function HowComputed() {
  return (
    <details className="mt-4 rounded-md bg-slate-50 p-3 text-sm text-slate-700" data-testid="metric-rules">
      <summary className="cursor-pointer font-medium">How these numbers are computed</summary>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>The predicted class of an image is the one with the highest probability (a tie goes to the class listed first).</li>
        <li>
          Precision, recall and F1 per class: a ratio with nothing to divide by counts as 0. A class your model never predicts has
          precision 0; a class with no image in this part of the held-out set has recall 0; F1 is 0 when precision and recall both are.
          (scikit-learn&apos;s default, <code>zero_division</code> giving 0.)
        </li>
        <li>
          Macro averages are the plain mean over the classes that occur in this part of the held-out set or that your model predicted
          at least once. A class that is neither present nor predicted is left out rather than counted as 0; a class absent from this
          part but predicted anyway counts, with F1 0. (scikit-learn with its default labels.)
        </li>
        <li>Weighted averages weight each class by its support, the number of images of that class in this part.</li>
        <li>
          Log loss is the mean of −ln(probability given to the true class). Each probability is first clipped to [ε, 1 − ε] with
          ε = 2⁻²³ ≈ {(LOG_LOSS_EPSILON * 1e7).toFixed(2)} × 10⁻⁷ (the machine epsilon of the 32-bit floats models output) and each image&apos;s probabilities
          are rescaled to sum to 1, as scikit-learn ≥ 1.2&apos;s <code>log_loss</code> does; a confident wrong answer costs about{" "}
          {(-Math.log(LOG_LOSS_EPSILON)).toFixed(1)}.
        </li>
        <li>
          Macro AUC is the mean of the one-class-against-the-rest AUCs of the classes that have images both in and out of the class in
          this part (tied scores count half); a class without them has no AUC and is left out.
        </li>
        <li>
          Top-k accuracy counts an image when fewer than k classes got a strictly higher probability than its true class, so a tie
          for the k-th place counts in your favour (scikit-learn&apos;s <code>top_k_accuracy_score</code> ranks tied classes by their
          order instead).
        </li>
      </ul>
    </details>
  );
}

/**
 * The scored report of one run, limited to the splits the viewer may see: score and how it was
 * computed, metrics (overall and per class), confusion matrix, ROC curves, training curves, the
 * model's layers with parameters and FLOPs, the backend and the timings.
 */
export function ReportView({ visible, classes, scoreNote, splitLabels }: {
  visible: VisibleReport;
  classes: string[];
  /**
   * What each split is called, where it is not a part of the assignment's held-out set: a run on a student's own
   * dataset is shown as one split, its test part ("test split of <dataset>"), with no public/private halves.
   */
  splitLabels?: Partial<Record<VisibleSplit, string>>;
  /** Said in the score card: why there is no score yet (a baseline still training), or what the score stands on. */
  scoreNote?: ReactNode;
}) {
  const { details, splits, metrics, scores } = visible;
  const label = (s: VisibleSplit) => splitLabels?.[s] ?? SPLIT_LABEL[s];
  const main = metrics.public ?? null;
  const chartSplits = splits.filter((s) => s !== "all");
  return (
    <div className="space-y-6" data-testid="report">
      <Card>
        <CardTitle>Score</CardTitle>
        <div className="mt-3 flex flex-wrap gap-6">
          {splits.map((s) => {
            const sc = scores[s];
            if (!sc) return null;
            return (
              <div key={s} data-testid={`score-${s}`}>
                <p className="text-sm text-slate-500">{label(s)}</p>
                <p className="text-4xl font-bold tabular-nums">{sc.score.toFixed(1)}</p>
              </div>
            );
          })}
        </div>
        {scoreNote && <div className="mt-3 text-sm text-slate-700" data-testid="score-note">{scoreNote}</div>}
        {scores.public?.improvement && (
          <p className="mt-3 text-sm text-slate-600" data-testid="improvement-formula">
            How it is computed: the platform trained the lesson&apos;s reference CNN on the same dataset, and the score is your
            improvement over it. Your {scores.public.metric} is {f3(scores.public.value)}, the baseline&apos;s{" "}
            {f3(scores.public.improvement.baselineValue)}: an improvement of {signed(scores.public.improvement.delta)}.
            An improvement of {signed(scores.public.improvement.zeroAt)} scores 0 and{" "}
            {signed(scores.public.target - scores.public.improvement.baselineValue)} scores 100, linearly in between ({scores.public.formula}).
          </p>
        )}
        {scores.public && !scores.public.improvement && (
          <p className="mt-3 text-sm text-slate-600">
            How it is computed: {scores.public.formula}. Your {scores.public.metric} on the {splitLabels?.public ?? "public part"} is {f3(scores.public.value)};
            the baseline {scores.public.baseline} scores 0 and the target {scores.public.target} scores 100, linearly in between.
          </p>
        )}
        {!splits.includes("private") && !splitLabels && (
          <p className="mt-2 text-sm text-slate-500">The private part of the held-out set is scored too; its numbers are shown after the deadline.</p>
        )}
        {details.status === "diverged" && <p className="mt-2 text-amber-700">Training diverged: {details.message}</p>}
        {details.status === "succeeded" && details.message && (
          <p className="mt-2 text-sm text-amber-800" data-testid="report-message">{details.message}</p>
        )}
      </Card>

      {main ? (
        <>
          <Card>
            <CardTitle>Metrics</CardTitle>
            <MetricsTable splits={splits} metrics={metrics} label={label} />
            <div className="mt-4 grid gap-4">
              {chartSplits.map((s) => metrics[s] && <PerClassTable key={s} m={metrics[s]!} split={s} label={label(s)} />)}
            </div>
            <HowComputed />
          </Card>
          <section className="space-y-4">
            <h2 className="text-xl font-semibold">Confusion matrix and ROC curves</h2>
            <div className="grid gap-4 lg:grid-cols-2">
              {chartSplits.map((s) => metrics[s] && (
                <ConfusionMatrixHeatmap key={`cm-${s}`} matrix={metrics[s]!.confusionMatrix} classes={classes} title={`Confusion matrix, ${label(s)}`} />
              ))}
              {chartSplits.map((s) => metrics[s] && (
                <RocChart key={`roc-${s}`} curves={metrics[s]!.roc} macroAuc={metrics[s]!.macroAuc} title={`ROC curves (one class against the rest), ${label(s)}`} />
              ))}
            </div>
          </section>
        </>
      ) : (
        <p className="rounded-xl bg-amber-50 p-4 text-amber-800">This run produced no held-out metrics{details.message ? `: ${details.message}` : "."}</p>
      )}

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Training</h2>
        {details.training.curves.length > 0 ? (
          <TrainingCurves
            points={details.training.curves.map((c, i) => ({ epoch: i + 1, loss: c.loss, acc: c.acc, valLoss: c.valLoss, valAcc: c.valAcc }))}
          />
        ) : (
          <p className="text-slate-600">No training curves: {details.training.stopReason === "notTrained" ? "this model was only evaluated." : "no epoch finished."}</p>
        )}
        <p className="text-sm text-slate-600">
          {details.training.epochsRun} epoch{details.training.epochsRun === 1 ? "" : "s"} run ({details.training.stopReason}),{" "}
          {details.training.trainExamples} training and {details.training.validationExamples} validation examples
          {details.training.imagesPerSecond ? `, ${Math.round(details.training.imagesPerSecond)} images/s` : ""}.
        </p>
        {details.training.featureCache && <p className="text-sm text-slate-600" data-testid="feature-cache">{details.training.featureCache.note}</p>}
      </section>

      <Card>
        <CardTitle>Model</CardTitle>
        <p className="mt-1 text-sm text-slate-600" data-testid="model-summary">
          {formatCount(details.model.totalParams)} parameters ({formatCount(details.model.trainableParams)} trainable) ·{" "}
          {formatCount(details.model.flopsPerImage)} FLOPs per image · input [{details.model.inputShape.join(", ")}] · backend {details.backend}
          {details.backendThreads && details.backendThreads > 1 ? ` on ${details.backendThreads} threads` : ""}
        </p>
        <div className="mt-3">
          <DataTable
            label="The model's layers"
            rows={details.model.layers}
            rowKey={(l) => l.name}
            columns={[
              { header: "Layer", cell: (l) => l.name },
              { header: "Type", cell: (l) => l.type },
              { header: "Output shape", cell: (l) => `[${l.outputShape.join(", ")}]` },
              { header: "Parameters", numeric: true, cell: (l) => formatCount(l.params) },
              { header: "FLOPs", numeric: true, cell: (l) => formatCount(l.flops) },
            ]}
          />
        </div>
        <p className="mt-3 text-sm text-slate-600">
          Timings: loading {seconds(details.durations.loadMs)}, training {seconds(details.durations.trainMs)}, evaluation {seconds(details.durations.evaluateMs)}, total {seconds(details.durations.totalMs)}.
        </p>
      </Card>
    </div>
  );
}
