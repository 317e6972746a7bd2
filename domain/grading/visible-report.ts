import type { GradingReport, SplitMetrics, SplitScore } from "@/grader/report/schema";

/** Which parts of the held-out set a viewer may see metrics for. */
export type VisibleSplit = "public" | "private" | "all";

/** A report with only the held-out splits a viewer may see. */
export interface VisibleReport {
  /** Everything that is not split-specific: model, training curves, backend, timings. */
  details: Omit<GradingReport, "metrics" | "score">;
  /** Splits present, in the order the page shows them. */
  splits: VisibleSplit[];
  metrics: Partial<Record<VisibleSplit, SplitMetrics>>;
  scores: Partial<Record<VisibleSplit, SplitScore>>;
}

/**
 * Cuts a report down to what a viewer may see. Instructors see every split. Students see the public
 * part of the held-out set, and the private part (and the whole set) only after the deadline: the
 * private split decides the final ranking, so its numbers before the deadline would let students
 * tune against it. The report holds aggregates only, never a held-out label.
 */
export function visibleReport(
  report: GradingReport,
  viewer: { isInstructor: boolean; pastDeadline: boolean },
): VisibleReport {
  const splits: VisibleSplit[] = viewer.isInstructor || viewer.pastDeadline ? ["public", "private", "all"] : ["public"];
  const metrics: VisibleReport["metrics"] = {};
  const scores: VisibleReport["scores"] = {};
  for (const s of splits) {
    if (report.metrics) metrics[s] = report.metrics[s];
    if (report.score) scores[s] = report.score[s];
  }
  const { metrics: _m, score: _s, ...details } = report;
  return { details, splits, metrics, scores };
}

/**
 * A graded run on a student's own dataset (`datasets: student`), as anyone who may see it sees it: one split, the
 * dataset's test part (`all`; a run on own data has no public/private halves, and the student uploaded every
 * image of it, so nothing is hidden), with its score once it has one. Totals only, like every report.
 */
export function ownDataGradedReport(report: GradingReport): VisibleReport {
  const { metrics, score, ...details } = report;
  return { details, splits: ["public"], metrics: metrics ? { public: metrics.all } : {}, scores: score ? { public: score.all } : {} };
}
