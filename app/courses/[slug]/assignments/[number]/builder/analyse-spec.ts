import type { Issue } from "@/grader/errors";
import type { BaseSummary } from "@/grader/registry/base-summary";
import type { SpecAnalysis } from "@/grader/spec/analyze";
import { checkSpecForAssignment, type SpecAssignment } from "@/grader/spec/check-spec";

/** What the builder shows for the spec being edited. */
export interface LiveAnalysis {
  /** The layer table, when the spec is valid enough to propagate shapes. */
  analysis: SpecAnalysis | null;
  /** Schema and shape problems (the spec cannot be graded as it is). */
  issues: Issue[];
  /** Budget and contract violations (valid spec, but the server would refuse it). */
  budget: Issue[];
}

export type AssignmentLimits = SpecAssignment;

/**
 * Runs the grader's own check of a spec against the assignment (checkSpecForAssignment, the function the submit path
 * and the worker call) on a draft, in the browser, as the student types: the same problems with the same messages.
 */
export function analyseSpec(spec: unknown, assignment: AssignmentLimits, bases: BaseSummary[]): LiveAnalysis {
  const check = checkSpecForAssignment(spec, assignment, bases);
  return { analysis: check.analysis, issues: check.issues, budget: check.violations };
}

/** The first message for each path (and for paths under it when `prefix` is true). */
export function messageAt(issues: Issue[], path: string, prefix = false): string | undefined {
  return issues.find((i) => i.path === path || (prefix && i.path.startsWith(`${path}.`)))?.message;
}
