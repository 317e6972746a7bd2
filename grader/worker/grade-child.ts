/**
 * Entry of the child process that grades submissions, one at a time (started by createChildGrader).
 * Everything CPU-heavy — loading TensorFlow.js, training, evaluating — happens here, away from the
 * worker's event loop.
 */
import { gradeSubmission } from "@/grader/grade";
import { loadTf } from "@/grader/backend/load-tf";
import { assignmentSchema } from "@/grader/assignment/schema";
import { parseSpec } from "@/grader/spec/schema";
import { childGradeInputSchema, serveGradingRequests } from "./child-protocol";

// Warm up while no job waits: the first job then starts training without loading TensorFlow.js.
loadTf().catch((e) => console.error("[grade-child] backend failed to load:", e));

serveGradingRequests(async (raw, { onProgress, signal }) => {
  const input = childGradeInputSchema.parse(raw);
  const assignment = { ...assignmentSchema.parse(input.assignment.config), dir: input.assignment.dir };
  const submission =
    input.submission.kind === "model"
      ? { kind: "model" as const, modelDir: input.submission.modelDir }
      : (() => {
          const spec = parseSpec(input.submission.spec);
          return { kind: spec.kind, spec };
        })();
  return gradeSubmission(
    { assignment, submission, seed: input.seed },
    { signal, onProgress, throughput: input.throughput },
  );
});
