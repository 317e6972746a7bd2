import type { VisibleReport } from "@/domain/grading/visible-report";
import type { GradingReport } from "@/grader/report/schema";

/**
 * The report of a practice run (or the platform's baseline) on a student's own dataset, as its page shows it: one
 * split, the dataset's test part (`metrics.all`; a run on own data has no public/private halves, so nothing is
 * hidden from anyone who may see the run), and no score, since the run is not graded.
 */
export function ownDataRunReport(report: GradingReport): VisibleReport {
  const { metrics, score: _score, ...details } = report;
  return { details, splits: ["public"], metrics: metrics ? { public: metrics.all } : {}, scores: {} };
}
