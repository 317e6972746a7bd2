import path from "node:path";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments } from "@/db/schema";
import type { Submission } from "@/db/queries/submissions/create-submission";
import { assignmentsRoot } from "@/grader/assignment/load-assignment";
import { assignmentSchema } from "@/grader/assignment/schema";
import type { ChildGradeInput } from "./child-protocol";

/**
 * Assembles what the training process needs from the database: the assignment's stored config (the
 * parsed assignment.yaml in effect when it was synced, validated again here) and the submission's
 * spec or uploaded model and its seed.
 */
export async function loadGradeInput(
  db: Db,
  submission: Submission,
): Promise<{ input: ChildGradeInput; wallClockSeconds: number }> {
  const [row] = await db
    .select({ config: assignments.config })
    .from(assignments)
    .where(eq(assignments.id, submission.assignmentId));
  if (!row) throw new Error(`submission ${submission.id}: assignment ${submission.assignmentId} not found`);
  // A stored config may carry the folder it was loaded from; the folder is resolved on this host.
  const { dir: _dir, ...stored } = (row.config ?? {}) as Record<string, unknown>;
  const parsed = assignmentSchema.safeParse(stored);
  if (!parsed.success) {
    throw new Error(`assignment ${submission.assignmentId} has an invalid stored config: ${parsed.error.message}`);
  }
  const config = parsed.data;
  const sub: ChildGradeInput["submission"] =
    submission.kind === "model"
      ? { kind: "model", modelDir: submission.artifactPath ?? "" }
      : { kind: submission.kind, spec: submission.spec };
  return {
    input: { assignment: { config, dir: path.join(assignmentsRoot(), config.slug) }, submission: sub, seed: submission.seed },
    wallClockSeconds: config.budget.wallClockSeconds,
  };
}
