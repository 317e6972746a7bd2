import type { Db } from "@/db";
import { datasetBaseline, insertBaselineRun } from "@/db/queries/baselines/dataset-baseline";
import { baselineSpecFor } from "@/grader/assignment/baseline-spec";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { isUserError } from "@/grader/errors";
import { checkSpecForAssignment, fittingSpec } from "@/grader/spec/check-spec";
import type { Spec } from "@/grader/spec/schema";
import { ValidationError } from "@/lib/errors";
import { enqueueGrading, type GradeQueue } from "./grade-queue";
import { announceSubmitted } from "./submission-events";

/**
 * The baseline spec of a `kind: improvement` assignment for one dataset's run config (ownDatasetConfig), checked
 * like a student's spec against the same budget. Called before the student's graded submission is created, so a
 * dataset the baseline cannot run on is refused at once rather than leaving a score that would wait forever.
 * @throws ValidationError (422) naming the problem when the baseline does not fit this dataset
 */
export async function prepareBaseline(runConfig: AssignmentConfig): Promise<Spec> {
  const spec = await baselineSpecFor(runConfig);
  try {
    return fittingSpec(checkSpecForAssignment(spec, runConfig)).spec;
  } catch (e) {
    if (!isUserError(e)) throw e;
    const message =
      `The platform's baseline (${runConfig.score.kind === "improvement" ? runConfig.score.baseline : "?"}) cannot be trained on this ` +
      `dataset (${runConfig.inputShape.join("×")}, ${runConfig.classes.length} classes), so no score could be computed for it: ${e.message}`;
    throw new ValidationError(message, [{ path: "studentDatasetId", message }]);
  }
}

/**
 * Makes sure the dataset has its baseline run: the first graded submission on a dataset queues it, every later one
 * reuses it (one row per dataset, the database's partial unique index deciding a race). The row is the dataset
 * owner's, `purpose = 'baseline'`, with the dataset's own split seed, so the baseline is the same run whoever asks.
 * Enqueued after its insert has committed; without a queue the embedded runner is woken (and the reconciler
 * enqueues any row still queued, should the enqueue fail).
 * @returns the baseline's submission id, and whether this call created it
 */
export async function ensureDatasetBaseline(
  db: Db,
  run: { assignmentId: string; studentDatasetId: string; ownerId: string; runConfig: AssignmentConfig; spec: Spec },
  deps: { queue: GradeQueue | null },
): Promise<{ submissionId: string; created: boolean }> {
  const existing = await datasetBaseline(db, run.studentDatasetId);
  if (existing) return { submissionId: existing.submissionId, created: false };
  const id = await insertBaselineRun(db, {
    assignmentId: run.assignmentId,
    userId: run.ownerId,
    studentDatasetId: run.studentDatasetId,
    kind: run.spec.kind,
    spec: run.spec,
    seed: run.runConfig.splitSeed,
  });
  if (!id) {
    const raced = await datasetBaseline(db, run.studentDatasetId);
    if (!raced) throw new Error(`student dataset ${run.studentDatasetId}: its baseline insert conflicted but no baseline exists`);
    return { submissionId: raced.submissionId, created: false };
  }
  if (deps.queue) {
    try {
      await enqueueGrading(deps.queue, id, "baseline");
    } catch (e) {
      console.error(`[baseline] enqueue of ${id} failed; the reconciler will enqueue it:`, (e as Error).message);
    }
  } else {
    announceSubmitted();
  }
  return { submissionId: id, created: true };
}
