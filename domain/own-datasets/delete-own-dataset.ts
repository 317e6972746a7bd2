import type { Db } from "@/db";
import { deleteOwnDatasetRows, submissionsOnDataset } from "@/db/queries/own-datasets/delete-own-dataset";
import { removeOwnDatasetCache } from "@/grader/data/own-dataset-load";
import { blobStore } from "@/grader/storage/blob-store";
import { env } from "@/env";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { visibleOwnDataset, type DatasetViewer } from "./visible-own-dataset";

/** What a delete removed, for the caller's message and for tests. */
export interface DeletedOwnDataset {
  id: string;
  practiceRunsDeleted: number;
  blobsRemoved: string[];
}

/**
 * Deletes a student's own dataset: its row and its practice and baseline runs (with their reports) in one
 * transaction, then its zip, its thumbnails, those runs' uploaded files and its decoded cache. Its owner or an
 * instructor of its course may; anyone else gets a 404. Refused with a 409 while a graded submission uses it (a
 * grade must keep the data it was earned on) or while one of its runs is still queued or running.
 * @throws NotFoundError | ConflictError
 */
export async function deleteOwnDataset(
  db: Db, viewer: DatasetViewer, courseId: string, datasetId: string, opts: { dataDir?: string } = {},
): Promise<DeletedOwnDataset> {
  const dataDir = opts.dataDir ?? env.DATA_DIR;
  const row = await visibleOwnDataset(db, viewer, courseId, datasetId);
  const removedRuns = await db.transaction(async (tx) => {
    const runs = await submissionsOnDataset(tx, datasetId);
    const graded = runs.filter((r) => r.purpose === "graded");
    if (graded.length) {
      throw new ConflictError(
        `This dataset cannot be deleted: ${graded.length === 1 ? "a graded submission uses" : `${graded.length} graded submissions use`} it, and a grade keeps the data it was earned on.`,
      );
    }
    const active = runs.filter((r) => r.status === "queued" || r.status === "running");
    if (active.length) {
      throw new ConflictError(
        `This dataset cannot be deleted while ${active.length === 1 ? "one of its practice runs is" : `${active.length} of its practice runs are`} still queued or running; try again when ${active.length === 1 ? "it has" : "they have"} finished.`,
      );
    }
    if (!(await deleteOwnDatasetRows(tx, datasetId))) throw new NotFoundError("There is no such dataset.");
    return runs;
  });
  const store = blobStore(dataDir);
  const keys = [row.blobKey, row.thumbnailsKey, ...removedRuns.flatMap((r) => [r.artifactKey, r.writtenReportKey])]
    .filter((k): k is string => typeof k === "string" && !k.startsWith("/"));
  for (const key of keys) {
    try {
      await store.delete(key);
    } catch (e) {
      console.error(`[own-datasets] could not remove blob ${key} of deleted dataset ${datasetId}:`, (e as Error).message);
    }
  }
  await removeOwnDatasetCache(dataDir, row.blobKey, row.split).catch((e: unknown) =>
    console.error(`[own-datasets] could not remove the decoded cache of deleted dataset ${datasetId}:`, (e as Error).message));
  return { id: datasetId, practiceRunsDeleted: removedRuns.length, blobsRemoved: keys };
}
