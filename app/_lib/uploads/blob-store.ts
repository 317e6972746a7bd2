import path from "node:path";
import { env } from "@/env";
import { blobStore } from "@/grader/storage/blob-store";
import { folderKey, newBlobKey, type BlobArea } from "@/lib/blobs/blob-key";

/**
 * Where an upload is spooled while its request is read (`<DATA_DIR>/blobs/incoming/`): next to the
 * store, so moving a kept file into it is a rename.
 */
export function blobRoot(dataDir: string = env.DATA_DIR): string {
  return path.resolve(dataDir, "blobs");
}

/** Stores bytes under a fresh key of `area` and returns the key. Names are the server's, never the upload's. */
export async function saveBlob(
  area: BlobArea,
  name: "model.zip" | "report.md" | "report.pdf" | "dataset.zip" | "dataset.bin",
  bytes: Uint8Array,
  dataDir?: string,
): Promise<string> {
  const key = newBlobKey(area, name);
  await blobStore(dataDir).put(key, bytes);
  return key;
}

/**
 * Moves a file that is already on disk (an upload spooled by readLimitedFormData) into the store
 * under a fresh key, without reading it into memory, and returns the key.
 */
export async function moveIntoBlobStore(from: string, area: BlobArea, name: "model.zip" | "dataset.zip", dataDir?: string): Promise<string> {
  const key = newBlobKey(area, name);
  await blobStore(dataDir).put(key, { file: from });
  return key;
}

/**
 * Moves several spooled uploads into one fresh folder blob (CIFAR-10 batches, an IDX pair) under
 * server-chosen names and returns the folder's key.
 */
export async function moveIntoBlobFolder(area: "datasets", files: { name: string; from: string }[], dataDir?: string): Promise<string> {
  const folder = newBlobKey(area);
  const store = blobStore(dataDir);
  try {
    for (const f of files) await store.put(folderKey(folder, f.name), { file: f.from });
  } catch (e) {
    await store.delete(folder);
    throw e;
  }
  return folder;
}

/** Removes a blob written for an upload that was then refused (logged, never thrown: the refusal is what the user needs). */
export async function removeBlob(key: string, dataDir?: string): Promise<void> {
  try {
    await blobStore(dataDir).delete(key);
  } catch (e) {
    console.error(`[uploads] could not remove blob ${key}:`, (e as Error).message);
  }
}
