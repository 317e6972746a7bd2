import type { AssignmentConfig } from "../assignment/schema";
import { isUserError, SpecOverBudgetError, SpecValidationError, type Issue } from "../errors";
import type { BaseSummary } from "../registry/base-summary";
import { registeredBases } from "../registry/registered-bases";
import { unknownClassWeightNames } from "../train/class-weights";
import { analyzeSpec, type SpecAnalysis } from "./analyze";
import { checkBudget, classCountMessage } from "./check-budget";
import { kerasFieldLabel, readKerasTopology } from "./keras-import";
import { parseSpec, type Spec } from "./schema";

/**
 * THE decision whether a spec fits an assignment: schema, layer shapes, budget, input and output contract, class-weight
 * names. The browser's builder (app/assignments/[number]/builder/analyse-spec.ts), the submit path (the analysis child,
 * ./analysis-child.ts) and the grader (grader/grade.ts) all call this one function, so a spec the builder passes is
 * one the server queues and the worker trains. Pure: no tf, no node APIs.
 */

/** What checking a spec needs of its assignment. */
export type SpecAssignment = Pick<AssignmentConfig, "inputShape" | "classes" | "budget">;

export interface SpecCheck {
  /** The validated spec (defaults applied), when it passed the schema. */
  spec: Spec | null;
  /** The layer table and totals, when every layer could take its input. */
  analysis: SpecAnalysis | null;
  /** Problems that make the spec impossible to grade as written (schema, shapes, class-weight names, unknown base). */
  issues: Issue[];
  /** A gradable spec that this assignment refuses (budget, input/output contract). */
  violations: Issue[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The parsed document behind the input, for the checks that still run on a spec with problems. */
function rawDocument(input: unknown): Record<string, unknown> | undefined {
  if (isRecord(input)) return input;
  if (typeof input !== "string") return undefined;
  try {
    const v: unknown = JSON.parse(input);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined; // YAML text: the partial checks below are skipped, parseSpec's issues stand
  }
}

/**
 * Checks that can still be made when the spec has other problems, so a student sees every problem at once rather
 * than one round of fixes per check: the class-weight names, and a last Dense layer with the wrong number of units.
 */
function partialIssues(raw: Record<string, unknown>, assignment: SpecAssignment): Issue[] {
  const issues: Issue[] = [];
  const k = assignment.classes.length;
  const training = raw.training;
  const weights = isRecord(training) ? unknownClassWeightNames(training.classWeights, assignment.classes) : undefined;
  if (weights) issues.push({ path: "training.classWeights", message: weights });
  const key = raw.kind === "transfer" ? "head" : raw.kind === "cnn" ? "layers" : undefined;
  const list = key ? raw[key] : undefined;
  if (key && Array.isArray(list)) {
    for (let i = list.length - 1; i >= 0; i--) {
      const layer: unknown = list[i];
      if (isRecord(layer) && layer.type === "dropout") continue;
      if (isRecord(layer) && layer.type === "dense" && Number.isInteger(layer.units) && layer.units !== k) {
        issues.push({ path: `${key}.${i}.units`, message: classCountMessage(k, layer.units as number) });
      }
      break;
    }
  }
  if (raw.kind === "keras" || raw.kind === undefined) {
    const model = raw.kind === "keras" ? raw.model : raw;
    const last = model === undefined ? undefined : readKerasTopology(model, "model").last;
    if (last && last.className === "Dense" && Number.isInteger(last.units) && last.units !== k) {
      issues.push({ path: `${last.path}.config.units`, message: classCountMessage(k, last.units as number, kerasFieldLabel(last.name, last.className, "units")) });
    }
  }
  return issues;
}

/** Issues not already in `known` (same path and message). */
function added(known: Issue[], more: Issue[]): Issue[] {
  return more.filter((m) => !known.some((k) => k.path === m.path && k.message === m.message));
}

/**
 * Checks a spec (JSON or YAML text, or a parsed object) against an assignment and returns every problem found.
 * Never throws for anything a student can write; `bases` are the registered pretrained bases (the browser passes the
 * list it was sent).
 */
export function checkSpecForAssignment(input: unknown, assignment: SpecAssignment, bases: BaseSummary[] = registeredBases()): SpecCheck {
  let spec: Spec;
  try {
    spec = parseSpec(input);
  } catch (e) {
    if (!(e instanceof SpecValidationError)) throw e;
    const raw = rawDocument(input);
    const issues = raw ? [...e.issues, ...added(e.issues, partialIssues(raw, assignment))] : e.issues;
    return { spec: null, analysis: null, issues, violations: [] };
  }
  const issues: Issue[] = [];
  const weights = unknownClassWeightNames(spec.training.classWeights, assignment.classes);
  if (weights) issues.push({ path: "training.classWeights", message: weights });
  let analysis: SpecAnalysis;
  try {
    analysis = analyzeSpec(spec, assignment, bases);
  } catch (e) {
    if (!isUserError(e)) throw e;
    const found = e instanceof SpecValidationError ? e.issues : [{ path: spec.kind === "transfer" ? "base" : "", message: e.message }];
    return { spec, analysis: null, issues: [...issues, ...found], violations: [] };
  }
  return { spec, analysis, issues, violations: checkBudget(analysis, spec, assignment) };
}

/**
 * The spec and its analysis when the check found nothing.
 * @throws SpecValidationError (the spec cannot be graded) or SpecOverBudgetError (this assignment refuses it)
 */
export function fittingSpec(check: SpecCheck): { spec: Spec; analysis: SpecAnalysis } {
  if (check.issues.length || !check.spec || !check.analysis) throw new SpecValidationError(check.issues);
  if (check.violations.length) throw new SpecOverBudgetError(check.violations);
  return { spec: check.spec, analysis: check.analysis };
}
