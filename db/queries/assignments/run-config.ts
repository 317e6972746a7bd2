import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { studentDatasets } from "@/db/schema";
import { ownDatasetConfig } from "@/grader/assignment/own-dataset-config";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { effectiveAssignmentConfig } from "./effective-assignment-config";

/**
 * The config one run is checked and graded with: the assignment's effective config, and for a run on a student's
 * own dataset (`submissions.student_dataset_id`: practice, baseline, `datasets: student` mode) that config turned
 * into the dataset's classes, input size and stored split by ownDatasetConfig. The submit path's spec check and the
 * grading worker both call this, so they agree on what a spec must fit.
 * Undefined when the assignment, or the dataset within that assignment, does not exist.
 */
export async function runAssignmentConfig(
  db: Db | Tx, assignmentId: string, studentDatasetId: string | null | undefined,
): Promise<AssignmentConfig | undefined> {
  const config = await effectiveAssignmentConfig(db, assignmentId);
  if (!config || !studentDatasetId) return config;
  const [row] = await db
    .select({
      id: studentDatasets.id, name: studentDatasets.name, blobKey: studentDatasets.blobKey, inputSize: studentDatasets.inputSize,
      channels: studentDatasets.channels, classes: studentDatasets.classes, split: studentDatasets.split,
    })
    .from(studentDatasets)
    .where(and(eq(studentDatasets.id, studentDatasetId), eq(studentDatasets.assignmentId, assignmentId)));
  return row ? ownDatasetConfig(config, row) : undefined;
}
