import { and, eq, ne } from "drizzle-orm";
import type { Tx } from "@/db";
import { studentDatasets, submissions } from "@/db/schema";

/** Submissions on a dataset, by purpose and status (what deleting it would touch). */
export async function submissionsOnDataset(tx: Tx, datasetId: string) {
  return tx
    .select({ id: submissions.id, purpose: submissions.purpose, status: submissions.status, artifactKey: submissions.artifactKey, writtenReportKey: submissions.writtenReportKey })
    .from(submissions)
    .where(eq(submissions.studentDatasetId, datasetId))
    .for("update");
}

/**
 * Deletes the dataset row and its non-graded submissions (their reports, progress and overrides go with them by
 * cascade). The caller has checked that no graded submission uses it; a graded one left would make the row's
 * foreign key refuse the delete, so nothing graded is ever lost here.
 * @returns whether the row existed
 */
export async function deleteOwnDatasetRows(tx: Tx, datasetId: string): Promise<boolean> {
  await tx.delete(submissions).where(and(eq(submissions.studentDatasetId, datasetId), ne(submissions.purpose, "graded")));
  const deleted = await tx.delete(studentDatasets).where(eq(studentDatasets.id, datasetId)).returning({ id: studentDatasets.id });
  return deleted.length > 0;
}

