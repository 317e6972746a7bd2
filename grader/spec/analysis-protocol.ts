import { z } from "zod";
import { assignmentSchema } from "../assignment/schema";
import { GraderUserError, SpecOverBudgetError, SpecValidationError, type Issue } from "../errors";
import { specSchema } from "./schema";

/**
 * The messages between the web process and its analysis child processes (./isolated-analysis.ts). The web
 * process sends one task at a time to a child; the child answers `ready` once when it has loaded, then exactly one answer
 * per task, naming the task's id. Both sides parse what they receive with these schemas.
 */

const issueSchema = z.object({ path: z.string(), message: z.string() });

/** What analysing a spec needs of its assignment (checkBudget's view of it). */
export const analysisAssignmentSchema = assignmentSchema.pick({ inputShape: true, classes: true, budget: true });
export type AnalysisAssignment = z.infer<typeof analysisAssignmentSchema>;

export const analysisTaskSchema = z.discriminatedUnion("kind", [
  /** checkSpecForAssignment (./check-spec.ts) of a submitted spec (text, or the Keras form's object). */
  z.object({ kind: z.literal("spec"), spec: z.unknown(), assignment: analysisAssignmentSchema }),
  /** The allow-list check of an uploaded trained model's `model.json`, given as its text. */
  z.object({ kind: z.literal("modelJson"), text: z.string() }),
]);
export type AnalysisTask = z.infer<typeof analysisTaskSchema>;

export const analysisRequestSchema = z.object({ id: z.number().int(), task: analysisTaskSchema }).strict();
export type AnalysisRequest = z.infer<typeof analysisRequestSchema>;

const remoteErrorSchema = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  issues: z.array(issueSchema).optional(),
});
type RemoteError = z.infer<typeof remoteErrorSchema>;

/** Every message a child sends. */
export const analysisAnswerSchema = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("ready") }),
  /** A valid spec, defaults applied (parsed again on arrival), and its budget violations (empty: may be queued). */
  z.object({ outcome: z.literal("spec"), id: z.number().int(), spec: specSchema, violations: z.array(issueSchema) }),
  z.object({ outcome: z.literal("modelJson"), id: z.number().int() }),
  /** The student's input is at fault (invalid, unknown base, a refused layer): shown to them as it is. */
  z.object({ outcome: z.literal("userError"), id: z.number().int(), error: remoteErrorSchema }),
  /** The analysis itself threw something unexpected (a grader bug): logged, and answered as a 422. */
  z.object({ outcome: z.literal("failed"), id: z.number().int(), message: z.string() }),
]);
export type AnalysisAnswer = z.infer<typeof analysisAnswerSchema>;

/** A user error from the child that is not a SpecValidationError: same code, message and issues. */
export class RemoteAnalysisUserError extends GraderUserError {
  readonly issues?: Issue[];
  constructor(e: RemoteError) {
    super(e.code, e.message);
    this.name = e.name;
    this.issues = e.issues;
  }
}

/** The wire form of a user error thrown in the child. */
export function serializeUserError(e: GraderUserError): RemoteError {
  const issues = (e as { issues?: Issue[] }).issues;
  return { name: e.name, code: e.code, message: e.message, ...(issues ? { issues } : {}) };
}

/**
 * The user error again, on the web side: the spec errors as their own classes (callers and tests tell them apart),
 * anything else (unknown base, a refused model layer) with its code, message and issues intact.
 */
export function reviveUserError(e: RemoteError): GraderUserError {
  if (e.code === "spec_invalid" && e.issues) return new SpecValidationError(e.issues);
  if (e.code === "spec_over_budget" && e.issues) return new SpecOverBudgetError(e.issues);
  return new RemoteAnalysisUserError(e);
}
