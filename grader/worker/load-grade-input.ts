import path from "node:path";
import type { Db } from "@/db";
import { runAssignmentConfig } from "@/db/queries/assignments/run-config";
import { getTrainingThroughput } from "@/db/queries/reports/training-throughput";
import type { Submission } from "@/db/queries/submissions/create-submission";
import { assignmentsRoot } from "@/grader/assignment/load-assignment";
import { DatasetArchiveError } from "@/grader/errors";
import { blobStore, localFileOf } from "@/grader/storage/blob-store";
import { withLocalDatasets } from "@/grader/storage/local-datasets";
import type { BlobStore } from "@/lib/blobs/blob-store";
import type { ChildGradeInput } from "./child-protocol";

function modelKeyOf(submission: Submission): string {
  if (!submission.artifactKey) throw new Error(`submission ${submission.id}: a model submission with no stored model`);
  return submission.artifactKey;
}

/**
 * Assembles what the training process needs from the database: the assignment's effective config
 * (assignment.yaml as last synced, validated again, with the instructor's uploaded datasets and split
 * over it; for a run on a student's dataset, that dataset's classes, size and split: runAssignmentConfig), the submission's spec or uploaded model and its seed, and how fast the assignment's
 * past jobs of its kind trained (for the first "time left" the student sees).
 */
export async function loadGradeInput(
  db: Db,
  submission: Submission,
  /** Where this host finds uploads (the shared store by default). */
  store: BlobStore = blobStore(),
): Promise<{ input: ChildGradeInput; wallClockSeconds: number }> {
  // A run on a student's own dataset is checked and trained on that dataset's classes, size and stored split.
  const stored = await runAssignmentConfig(db, submission.assignmentId, submission.studentDatasetId);
  if (!stored && submission.studentDatasetId) throw new DatasetArchiveError("The dataset this run was made on no longer exists.");
  if (!stored) throw new Error(`submission ${submission.id}: assignment ${submission.assignmentId} not found`);
  // The rows name uploads by blob key; the training process reads files of this host.
  const config = await withLocalDatasets(stored, store);
  const sub: ChildGradeInput["submission"] =
    submission.kind === "model"
      ? { kind: "model", modelDir: await localFileOf(modelKeyOf(submission), store) }
      : { kind: submission.kind, spec: submission.spec };
  const throughput = sub.kind === "model" ? undefined : await getTrainingThroughput(db, submission.assignmentId, sub.kind);
  return {
    input: { assignment: { config, dir: path.join(assignmentsRoot(), config.slug) }, submission: sub, seed: submission.seed, throughput },
    wallClockSeconds: config.budget.wallClockSeconds,
  };
}
