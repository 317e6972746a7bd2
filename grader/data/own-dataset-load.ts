import { createHash } from "node:crypto";
import { DatasetArchiveError } from "../errors";
import { cached, cacheKey, removeCached } from "./dataset-cache";
import { subset, type ImageDataset } from "./image-dataset";
import { decodeImageFolderZip } from "./image-folder-zip";
import { ownDatasetSplitSchema, type OwnDatasetSplitDoc } from "./own-dataset-contract";
import { PART } from "./own-dataset-split";

/** Hex SHA-256 of a decoded dataset's labels: the fingerprint of its order that the stored split keeps. */
export function labelsSha256(labels: Uint8Array): string {
  return createHash("sha256").update(labels).digest("hex");
}

/** What identifies a student's decoded dataset in the uint8 cache: its zip (blob key) and the shape it is decoded at. */
function cacheIdentity(blobKey: string, split: Pick<OwnDatasetSplitDoc, "shape" | "limits">): unknown {
  return { ownDataset: blobKey, shape: split.shape, limits: split.limits };
}

/** The three parts of a student's dataset, as the stored split says, and the whole decoded set they come from. */
export interface LoadedOwnDataset {
  all: ImageDataset;
  train: ImageDataset;
  validation: ImageDataset;
  test: ImageDataset;
  cacheHit: boolean;
}

/**
 * Decodes a student's dataset zip again (through the decoded cache under `dataDir`, keyed by its blob key) exactly
 * as it was decoded at upload — the split document's shape and reader limits — and applies the stored split:
 * images whose part is `removed` (test copies of training images) are in no part. Checks that the decode gave the
 * same images in the same order (count and labels fingerprint), so a run never trains on a shifted split.
 * @param split `student_datasets.split` as stored (parsed here)
 * @throws DatasetArchiveError when the zip no longer decodes to the stored split
 */
export async function loadOwnDataset(
  zipFile: string, storedSplit: unknown, opts: { dataDir: string; blobKey: string },
): Promise<LoadedOwnDataset> {
  const split = ownDatasetSplitSchema.parse(storedSplit);
  const { dataset: all, hit } = await cached(opts.dataDir, cacheIdentity(opts.blobKey, split), async () =>
    (await decodeImageFolderZip(zipFile, split.shape, split.limits)).dataset);
  if (all.count !== split.parts.length || labelsSha256(all.labels) !== split.labelsSha256) {
    throw new DatasetArchiveError(
      `The dataset decodes to ${all.count} image(s) in a different order from its stored split of ${split.parts.length}; upload it again.`,
    );
  }
  const of = (p: number): number[] => split.parts.flatMap((q, i) => (q === p ? [i] : []));
  return { all, train: subset(all, of(PART.train)), validation: subset(all, of(PART.validation)), test: subset(all, of(PART.test)), cacheHit: hit };
}

/** The decoded cache's key of a student's dataset (its file is `<dataDir>/dataset-cache/<key>.tgds`). */
export function ownDatasetCacheKey(blobKey: string, split: Pick<OwnDatasetSplitDoc, "shape" | "limits">): string {
  return cacheKey(cacheIdentity(blobKey, split));
}

/** Removes the decoded cache entry of a student's dataset (when the dataset is deleted). */
export async function removeOwnDatasetCache(dataDir: string, blobKey: string, storedSplit: unknown): Promise<void> {
  const split = ownDatasetSplitSchema.safeParse(storedSplit);
  if (!split.success) return;
  await removeCached(dataDir, ownDatasetCacheKey(blobKey, split.data));
}
