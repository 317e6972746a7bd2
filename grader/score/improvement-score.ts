import type { ImprovementScoreFormula } from "../assignment/schema";
import type { GradingReport, SplitMetrics, SplitScore } from "../report/schema";
import { metricValue } from "./compute-score";

const SPLITS = ["public", "private", "all"] as const;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The metric part of a `kind: improvement` score on one split (grader/assignment/schema.ts documents the rule):
 * d = metric(student) − metric(baseline); full = min(fullMarksAt, 1 − metric(baseline));
 * score = clip((d − zeroAt) / (full − zeroAt), 0, 1) × 100. A run without metrics (it diverged) counts as metric 0,
 * as under the linear formula. `baseline` and `target` of the result are the metric values scoring 0 and 100.
 */
export function improvementScore(
  student: SplitMetrics | null,
  baseline: SplitMetrics | null,
  formula: ImprovementScoreFormula,
  baselineSubmissionId: string,
): SplitScore {
  const value = student ? metricValue(student, formula.metric) : 0;
  const reference = baseline ? metricValue(baseline, formula.metric) : 0;
  const delta = value - reference;
  const full = Math.max(Math.min(formula.fullMarksAt, 1 - reference), 0);
  // A baseline already at 1 with zeroAt 0 leaves no room: matching it is full marks, anything less is 0.
  const score = full > formula.zeroAt
    ? Math.max(0, Math.min(100, ((delta - formula.zeroAt) / (full - formula.zeroAt)) * 100))
    : delta >= formula.zeroAt ? 100 : 0;
  return {
    score,
    metric: formula.metric,
    value,
    baseline: reference + formula.zeroAt,
    target: reference + full,
    formula:
      `clip((${formula.metric} − baseline ${r4(reference)} − (${formula.zeroAt})) / (${r4(full)} − (${formula.zeroAt})), 0, 1) × 100` +
      (full < formula.fullMarksAt ? ` (full marks at a perfect ${formula.metric}: the baseline is within ${formula.fullMarksAt} of 1)` : ""),
    improvement: { baselineValue: reference, baselineSubmissionId, delta, zeroAt: formula.zeroAt, fullMarksAt: formula.fullMarksAt },
  };
}

/** The score of every split of a graded report against its dataset's baseline report. */
export function improvementScores(
  student: Pick<GradingReport, "metrics">,
  baseline: Pick<GradingReport, "metrics">,
  formula: ImprovementScoreFormula,
  baselineSubmissionId: string,
): NonNullable<GradingReport["score"]> {
  const [pub, priv, all] = SPLITS.map((s) => improvementScore(student.metrics?.[s] ?? null, baseline.metrics?.[s] ?? null, formula, baselineSubmissionId));
  return { public: pub!, private: priv!, all: all! };
}
