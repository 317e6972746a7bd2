import { toCsv } from "@/lib/csv";
import type { Gradebook } from "./gradebook";

const HEADER = ["name", "email", "quiz", "assignment", "assignment_source", "report", "final"] as const;

/** The gradebook as CSV (one row per student; empty cells where a part has no score yet). */
export function gradebookCsv(gradebook: Pick<Gradebook, "rows">): string {
  return toCsv(
    HEADER,
    gradebook.rows.map((r) => [r.name, r.email, r.quiz, r.assignment, r.assignmentSource, r.report, r.final]),
  );
}
