import type { AssignmentConfig } from "@/grader/assignment/schema";
import { isUserError, type Issue } from "@/grader/errors";
import type { BaseSummary } from "@/grader/registry/base-summary";
import { analyzeSpec, checkBudget, type SpecAnalysis } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";

/** What the builder shows for the spec being edited. */
export interface LiveAnalysis {
  /** The layer table, when the spec is valid enough to propagate shapes. */
  analysis: SpecAnalysis | null;
  /** Schema and shape problems (the spec cannot be graded as it is). */
  issues: Issue[];
  /** Budget and contract violations (valid spec, but the server would refuse it). */
  budget: Issue[];
}

export type AssignmentLimits = Pick<AssignmentConfig, "inputShape" | "classes" | "budget">;

/**
 * Runs the grader's own validation, analysis and budget check on a draft spec, in the browser, as
 * the student types: the messages are the same strings the server answers with on submit.
 */
export function analyseSpec(spec: unknown, assignment: AssignmentLimits, bases: BaseSummary[]): LiveAnalysis {
  try {
    const parsed = parseSpec(spec);
    const analysis = analyzeSpec(parsed, assignment, bases);
    return { analysis, issues: [], budget: checkBudget(analysis, parsed, assignment) };
  } catch (e) {
    if (isUserError(e)) {
      const issues = (e as { issues?: Issue[] }).issues ?? [{ path: "", message: e.message }];
      return { analysis: null, issues, budget: [] };
    }
    throw e;
  }
}

/** The first message for each path (and for paths under it when `prefix` is true). */
export function messageAt(issues: Issue[], path: string, prefix = false): string | undefined {
  return issues.find((i) => i.path === path || (prefix && i.path.startsWith(`${path}.`)))?.message;
}
