import type { DatasetRef } from "@/grader/assignment/schema";
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
export async function withLocalDatasets<C extends { datasets: { train: DatasetRef; heldout: DatasetRef } }>(config: C, store: BlobStore): Promise<C> {
  const [train, heldout] = await Promise.all([localDatasetRef(config.datasets.train, store), localDatasetRef(config.datasets.heldout, store)]);
  return { ...config, datasets: { ...config.datasets, train, heldout } };
}
