import { toCsv } from "@/lib/csv";
import type { Gradebook } from "./gradebook";

const HEADER = ["name", "email", "quiz", "assignment", "assignment_source", "report", "final"] as const;
/** Columns an improvement-scored assignment (`datasets: student`) adds: what the assignment part stands on. */
const METRIC_HEADER = ["metric", "student_metric", "baseline_metric", "improvement"] as const;

const r4 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10_000) / 10_000);

/** The gradebook as CSV (one row per student; empty cells where a part has no score yet). */
export function gradebookCsv(gradebook: Pick<Gradebook, "rows">): string {
  const withMetric = gradebook.rows.some((r) => r.metricPart !== undefined);
  if (!withMetric) {
    return toCsv(
      HEADER,
      gradebook.rows.map((r) => [r.name, r.email, r.quiz, r.assignment, r.assignmentSource, r.report, r.final]),
    );
  }
  return toCsv(
    [...HEADER, ...METRIC_HEADER],
    gradebook.rows.map((r) => [
      r.name, r.email, r.quiz, r.assignment, r.assignmentSource, r.report, r.final,
      r.metricPart?.metric ?? null, r4(r.metricPart?.student), r4(r.metricPart?.baseline), r4(r.metricPart?.improvement),
    ]),
  );
}
