import type { GradingReport, SplitMetrics } from "@/grader/report/schema";
import type { SubmissionKind } from "@/grader/contracts/submission-status";

/**
 * One run (a submission's newest report) cut down to what the comparison and the written report's
 * embeds draw: the test-split metrics, the model's size, its training time and curves. Plain data
 * (strings and numbers), so a page can hand it to a client component (the report editor's preview).
 * No database, no React: pages, actions and tests all call these functions.
 */
export interface RunView {
  /** The submission id. */
  id: string;
  /** What the student called it (the spec's name), else its kind. */
  label: string;
  kind: SubmissionKind;
  approach: Approach;
  /** The pretrained base of a transfer recipe. */
  base: string | null;
  purpose: "graded" | "practice" | "baseline";
  /** Which data the run was trained and scored on: runs compare only with runs on the same data. */
  dataset: { key: string; name: string };
  /** Which part of the report's metrics this view shows, and its name for a reader. */
  split: "all" | "public";
  splitLabel: string;
  classes: string[];
  status: GradingReport["status"];
  message: string | null;
  metrics: RunMetrics | null;
  totalParams: number;
  trainableParams: number;
  trainMs: number;
  totalMs: number;
  epochsRun: number;
  stopReason: GradingReport["training"]["stopReason"];
  curves: { epoch: number; loss: number; acc: number; valLoss: number | null; valAcc: number | null }[];
  createdAt: string;
}

export interface RunMetrics {
  count: number;
  accuracy: number;
  macroF1: number;
  topK: { k: number; accuracy: number };
  logLoss: number;
  perClass: { className: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: number[][];
}

/** Runs one comparison may hold: two to compare, six still fit side by side. */
export const MIN_COMPARED_RUNS = 2;
export const MAX_COMPARED_RUNS = 6;

/** The Activity's two approaches (and the kinds that are neither). */
export type Approach = "custom CNN" | "transfer learning" | "uploaded model";

export function approachOf(kind: SubmissionKind): Approach {
  if (kind === "transfer") return "transfer learning";
  if (kind === "model") return "uploaded model";
  // A builder CNN and an imported Keras topology are both networks the student designed and trained from scratch.
  return "custom CNN";
}

/**
 * Which split of a report a comparison and an embed show, the same for every viewer so a written report
 * reads the same to its author and its grader: on a student's own dataset the whole test split (`all`;
 * nothing of it is hidden from its owner); on the assignment's held-out set the public part only, the
 * part students see before the deadline (the private part decides the final ranking).
 */
export function embedSplitOf(run: { studentDatasetId: string | null }): "all" | "public" {
  return run.studentDatasetId ? "all" : "public";
}

const SPLIT_LABEL = { all: "the dataset's test split", public: "the public part of the held-out set" } as const;

function metricsOf(m: SplitMetrics): RunMetrics {
  return {
    count: m.count,
    accuracy: m.accuracy,
    macroF1: m.macro.f1,
    topK: { k: m.topK.k, accuracy: m.topK.accuracy },
    logLoss: m.logLoss,
    perClass: m.perClass.map((c) => ({ className: c.className, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
    confusion: m.confusionMatrix,
  };
}

/** A run's view from its submission row and newest report. */
export function runViewOf(
  submission: {
    id: string;
    kind: SubmissionKind;
    spec: unknown;
    purpose: "graded" | "practice" | "baseline";
    studentDatasetId: string | null;
    assignmentId: string;
    createdAt: Date;
  },
  dataset: { name: string },
  report: GradingReport,
): RunView {
  const split = embedSplitOf(submission);
  const name = (submission.spec as { name?: unknown } | null)?.name;
  const label = typeof name === "string" && name.trim() ? name.trim() : report.submission.name ?? `${submission.kind} spec`;
  return {
    id: submission.id,
    label,
    kind: submission.kind,
    approach: approachOf(submission.kind),
    base: report.submission.base,
    purpose: submission.purpose,
    dataset: { key: submission.studentDatasetId ? `student:${submission.studentDatasetId}` : `assignment:${submission.assignmentId}`, name: dataset.name },
    split,
    splitLabel: SPLIT_LABEL[split],
    classes: report.assignment.classes,
    status: report.status,
    message: report.message,
    metrics: report.metrics ? metricsOf(report.metrics[split]) : null,
    totalParams: report.model.totalParams,
    trainableParams: report.model.trainableParams,
    trainMs: report.durations.trainMs,
    totalMs: report.durations.totalMs,
    epochsRun: report.training.epochsRun,
    stopReason: report.training.stopReason,
    curves: report.training.curves.map((c, i) => ({ epoch: i + 1, loss: c.loss, acc: c.acc, valLoss: c.valLoss, valAcc: c.valAcc })),
    createdAt: submission.createdAt.toISOString(),
  };
}

/** Letters naming runs in a comparison: A, B, C … (the table, the legends and the bars use them). */
export const runLetter = (i: number) => String.fromCharCode(65 + i);

export interface ComparedMetric {
  key: string;
  label: string;
  /** Which way is better; null when neither is (none today, kept for counts). */
  better: "higher" | "lower";
  /** One value per run (null when the run has no metrics). */
  values: (number | null)[];
  /** Indices of the runs holding the best value (ties all marked); empty when fewer than two values exist. */
  best: number[];
  format: "ratio" | "percent" | "count" | "seconds";
}

/** The metrics table of a comparison: each metric's values per run, which is best, and (in the view) the differences. */
export function comparedMetrics(runs: RunView[]): ComparedMetric[] {
  const m = (key: string, label: string, better: "higher" | "lower", format: ComparedMetric["format"], get: (r: RunView) => number | null): ComparedMetric => {
    const values = runs.map(get);
    const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
    let best: number[] = [];
    if (present.length >= 2) {
      const target = better === "higher" ? Math.max(...present) : Math.min(...present);
      // Values within rounding of the shown figure tie.
      const eps = format === "count" ? 0 : format === "seconds" ? 0.05 : 5e-4;
      best = values.flatMap((v, i) => (v !== null && Math.abs(v - target) <= eps ? [i] : []));
      if (best.length === values.length) best = [];
    }
    return { key, label, better, values, best, format };
  };
  const k = runs.find((r) => r.metrics)?.metrics?.topK.k ?? 2;
  return [
    m("accuracy", "Accuracy", "higher", "percent", (r) => r.metrics?.accuracy ?? null),
    m("macroF1", "Macro F1", "higher", "ratio", (r) => r.metrics?.macroF1 ?? null),
    m("topK", `Top-${k} accuracy`, "higher", "percent", (r) => r.metrics?.topK.accuracy ?? null),
    m("logLoss", "Log loss", "lower", "ratio", (r) => r.metrics?.logLoss ?? null),
    m("totalParams", "Parameters", "lower", "count", (r) => r.totalParams),
    m("trainableParams", "Trainable parameters", "lower", "count", (r) => r.trainableParams),
    m("trainSeconds", "Training time", "lower", "seconds", (r) => r.trainMs / 1000),
  ];
}

const f3 = (x: number) => x.toFixed(3);
const count = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function bestOf(runs: { run: RunView; index: number }[]) {
  return runs.reduce((a, b) => ((b.run.metrics?.macroF1 ?? -1) > (a.run.metrics?.macroF1 ?? -1) ? b : a));
}

/**
 * The Activity's question — custom CNN or transfer learning? — answered in a sentence from the runs'
 * macro-F1 on the same test images: the best run of each approach, the margin, and what each cost
 * (trainable parameters, training time). A margin smaller than one test image's worth (1/n, at least
 * 0.01) is called too close to decide on this test split.
 */
export function approachVerdict(runs: RunView[]): string {
  const scored = runs.map((run, index) => ({ run, index })).filter((r) => r.run.metrics);
  const cnn = scored.filter((r) => r.run.approach === "custom CNN");
  const transfer = scored.filter((r) => r.run.approach === "transfer learning");
  if (!cnn.length || !transfer.length) {
    const have = !cnn.length && !transfer.length ? "No compared run is a custom CNN or a transfer recipe" : cnn.length ? "Every compared run with metrics is a custom CNN" : "Every compared run with metrics is a transfer-learning recipe";
    return `${have}, so these runs cannot say whether a custom CNN or transfer learning does better here: add a run of the other approach on the same dataset.`;
  }
  const c = bestOf(cnn);
  const t = bestOf(transfer);
  const cm = c.run.metrics!;
  const tm = t.run.metrics!;
  const margin = tm.macroF1 - cm.macroF1;
  const n = Math.min(cm.count, tm.count);
  const name = (r: { run: RunView; index: number }) => `${runLetter(r.index)} (${r.run.label})`;
  const cost = (r: RunView) => `${count(r.trainableParams)} trainable parameters and ${secs(r.trainMs)} of training`;
  if (Math.abs(margin) < Math.max(0.01, 1 / Math.max(1, n))) {
    return `Too close to call on these ${n} test images: the best transfer-learning run, ${name(t)}, has macro-F1 ${f3(tm.macroF1)} and the best custom CNN, ${name(c)}, ${f3(cm.macroF1)} (a difference of ${f3(Math.abs(margin))}); the cheaper one is ${t.run.trainMs <= c.run.trainMs ? name(t) : name(c)}.`;
  }
  const [win, lose, wm, lm, what] = margin > 0 ? [t, c, tm, cm, "Transfer learning"] : [c, t, cm, tm, "The custom CNN"];
  return `${what} wins on this dataset: ${name(win)} reaches macro-F1 ${f3(wm.macroF1)} against ${f3(lm.macroF1)} for ${name(lose)} (+${f3(Math.abs(margin))}, accuracy ${(wm.accuracy * 100).toFixed(1)}% vs ${(lm.accuracy * 100).toFixed(1)}%, on ${n} test images), with ${cost(win.run)} against ${cost(lose.run)}.`;
}

/** Cell-by-cell difference of two confusion matrices (`b − a`); both come from the same test split. */
export function confusionDifference(a: number[][], b: number[][]): number[][] {
  return a.map((row, i) => row.map((v, j) => (b[i]?.[j] ?? 0) - v));
}
