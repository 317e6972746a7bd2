import { STUDENT_DATASETS, type DatasetRef } from "@/grader/assignment/schema";
import type { BlobStore } from "@/lib/blobs/blob-store";

/** A dataset reference the readers can open on this machine: a blob key replaced by the store's local copy. */
export async function localDatasetRef(ref: DatasetRef, store: BlobStore): Promise<Exclude<DatasetRef, { blob: string }>> {
  if (!("blob" in ref)) return ref;
  const { blob, ...rest } = ref;
  return { ...rest, path: await store.localPath(blob) };
}

/**
 * The config with both datasets readable on this machine. The grader host calls this before it
 * grades (and the dataset page before it previews): the config in the database names uploads by
 * key, and only the store knows where their bytes are here.
 */
export async function withLocalDatasets<C extends { datasets: { train: DatasetRef; heldout: DatasetRef } | typeof STUDENT_DATASETS }>(config: C, store: BlobStore): Promise<C> {
  // `datasets: student` has no sets of its own (a run on it reads the config made for its dataset).
  if (config.datasets === STUDENT_DATASETS) return config;
  const [train, heldout] = await Promise.all([localDatasetRef(config.datasets.train, store), localDatasetRef(config.datasets.heldout, store)]);
  return { ...config, datasets: { ...config.datasets, train, heldout } };
}
