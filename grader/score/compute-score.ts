import type { LinearScoreFormula, ScoreFormula } from "../assignment/schema";
import type { SplitMetrics, SplitScore } from "../report/schema";

/** Reads the metric a score formula is based on. A missing macro AUC counts as chance (0.5). */
export function metricValue(metrics: SplitMetrics, metric: ScoreFormula["metric"]): number {
  switch (metric) {
    case "macroF1":
      return metrics.macro.f1;
    case "weightedF1":
      return metrics.weighted.f1;
    case "accuracy":
      return metrics.accuracy;
    case "macroAuc":
      return metrics.macroAuc ?? 0.5;
  }
}

/**
 * The assignment's score for one split: linear between baseline (0 points) and target (100 points), clipped.
 * The report keeps the formula's inputs so a student can check the arithmetic.
 */
export function computeScore(metrics: SplitMetrics | null, formula: LinearScoreFormula): SplitScore {
  const value = metrics ? metricValue(metrics, formula.metric) : 0;
  const raw = ((value - formula.baseline) / (formula.target - formula.baseline)) * 100;
  return {
    score: Math.max(0, Math.min(100, raw)),
    metric: formula.metric,
    value,
    baseline: formula.baseline,
    target: formula.target,
    formula: `clip((${formula.metric} - ${formula.baseline}) / (${formula.target} - ${formula.baseline}), 0, 1) × 100`,
  };
}
