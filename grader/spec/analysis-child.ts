import { parentPort } from "node:worker_threads";
import { checkModelJson } from "../evaluate/check-model-json";
import { isUserError, type Issue } from "../errors";
import {
  analysisRequestSchema,
  serializeUserError,
  type AnalysisAnswer,
  type AnalysisAssignment,
} from "./analysis-protocol";
import { analyzeSpec, checkBudget } from "./analyze";
import { checkValueBounds } from "./input-bounds";
import { parseSpec, type Spec } from "./schema";

/** The work an analysis worker does; tests hand `serveAnalysisRequests` their own (e.g. one that never returns). */
export interface AnalysisHandlers {
  spec(spec: unknown, assignment: AnalysisAssignment): { spec: Spec; violations: Issue[] };
  modelJson(text: string): void;
}

/** The real analysis: the grader's own parseSpec, analyzeSpec, checkBudget and model allow-list check. */
export const analysisHandlers: AnalysisHandlers = {
  spec(raw, assignment) {
    const spec = parseSpec(raw);
    // YAML can nest by indentation, which the web side's bracket scan does not see: bound the parsed value before
    // it is copied back across the thread boundary.
    checkValueBounds(spec);
    return { spec, violations: checkBudget(analyzeSpec(spec, assignment), spec, assignment) };
  },
  modelJson(text) {
    checkModelJson(text);
  },
};

/**
 * The worker thread's side of ./analysis-protocol.ts: says `ready`, then answers each task with its result, the
 * user's error, or `failed`. It never exits on its own; the pool ends it when it runs out of time or memory.
 */
export function serveAnalysisRequests(handlers: AnalysisHandlers): void {
  const port = parentPort;
  if (!port) throw new Error("the analysis worker must run in a worker thread (see grader/spec/isolated-analysis.ts)");
  const send = (answer: AnalysisAnswer) => port.postMessage(answer);
  port.on("message", (raw: unknown) => {
    const request = analysisRequestSchema.safeParse(raw);
    if (!request.success) {
      // Nothing to answer to: the pool never sends this, so it is a bug on the web side; its timer will fire.
      console.error("[analysis] worker got an invalid request:", request.error.message);
      return;
    }
    const { id, task } = request.data;
    try {
      if (task.kind === "spec") {
        send({ outcome: "spec", id, ...handlers.spec(task.spec, task.assignment) });
      } else {
        handlers.modelJson(task.text);
        send({ outcome: "modelJson", id });
      }
    } catch (e) {
      if (isUserError(e)) send({ outcome: "userError", id, error: serializeUserError(e) });
      else send({ outcome: "failed", id, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  });
  send({ outcome: "ready" });
}
