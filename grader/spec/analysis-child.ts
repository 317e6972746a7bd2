import { checkModelJson } from "../evaluate/check-model-json";
import { isUserError, SpecValidationError, type Issue } from "../errors";
import {
  analysisRequestSchema,
  serializeUserError,
  type AnalysisAnswer,
  type AnalysisAssignment,
} from "./analysis-protocol";
import { checkSpecForAssignment } from "./check-spec";
import { checkValueBounds } from "./input-bounds";
import type { Spec } from "./schema";

/** The work an analysis process does; tests hand `serveAnalysisRequests` their own (e.g. one that never returns). */
export interface AnalysisHandlers {
  spec(spec: unknown, assignment: AnalysisAssignment): { spec: Spec; violations: Issue[] };
  modelJson(text: string): void;
}

/** The real analysis: the grader's own spec check (checkSpecForAssignment) and model allow-list check. */
export const analysisHandlers: AnalysisHandlers = {
  spec(raw, assignment) {
    // The one check the builder and the grader run too (./check-spec.ts).
    const check = checkSpecForAssignment(raw, assignment);
    if (check.issues.length || !check.spec) throw new SpecValidationError(check.issues);
    // YAML can nest by indentation, which the web side's bracket scan does not see: bound the parsed value before
    // it is serialised back to the web process.
    checkValueBounds(check.spec);
    return { spec: check.spec, violations: check.violations };
  },
  modelJson(text) {
    checkModelJson(text);
  },
};

/**
 * The child process's side of ./analysis-protocol.ts: says `ready`, then answers each task with its result, the
 * user's error, or `failed`. It runs until the web process kills it (out of time) or it dies of its own heap limit,
 * and exits when the web process goes away.
 */
export function serveAnalysisRequests(handlers: AnalysisHandlers): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error("the analysis process must be started with an IPC channel (see grader/spec/isolated-analysis.ts)");
  const answer = (a: AnalysisAnswer) => send(a);
  process.on("disconnect", () => process.exit(0));
  process.on("message", (raw: unknown) => {
    const request = analysisRequestSchema.safeParse(raw);
    if (!request.success) {
      // Nothing to answer to: the pool never sends this, so it is a bug on the web side; its timer will fire.
      console.error("[analysis] got an invalid request:", request.error.message);
      return;
    }
    const { id, task } = request.data;
    try {
      if (task.kind === "spec") {
        answer({ outcome: "spec", id, ...handlers.spec(task.spec, task.assignment) });
      } else {
        handlers.modelJson(task.text);
        answer({ outcome: "modelJson", id });
      }
    } catch (e) {
      if (isUserError(e)) answer({ outcome: "userError", id, error: serializeUserError(e) });
      else answer({ outcome: "failed", id, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  });
  answer({ outcome: "ready" });
}
