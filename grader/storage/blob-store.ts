import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { env } from "@/env";
import { BlobNotFoundError, LocalBlobStore, type BlobStore } from "@/lib/blobs/blob-store";

/**
 * The blob store the web process and the grader share: `<DATA_DIR>/blobs/`, a directory of this
 * machine (the embedded default). Web and grader hosts that are separate machines must see the
 * same directory (README, "Blob storage"). Made per call (it holds nothing but the root), so
 * nothing touches the disk on import.
 */
export function blobStore(dataDir: string = env.DATA_DIR): BlobStore {
  return new LocalBlobStore(path.resolve(dataDir, "blobs"));
}

/*
 * Rows written before uploads were stored by key hold an absolute path of the host that took the
 * upload. These two accept either, so those rows keep working where that path exists.
 */

/** A file on this machine for a stored reference (a blob key, or an older row's absolute path). @throws BlobNotFoundError */
export async function localFileOf(stored: string, store: BlobStore = blobStore()): Promise<string> {
  if (!path.isAbsolute(stored)) return store.localPath(stored);
  await stat(stored).catch(() => Promise.reject(new BlobNotFoundError(stored)));
  return stored;
}

/** The stored file as a web stream (a blob key, or an older row's absolute path). @throws BlobNotFoundError */
export async function streamOf(stored: string, store: BlobStore = blobStore()): Promise<ReadableStream<Uint8Array>> {
  if (!path.isAbsolute(stored)) return store.stream(stored);
  const file = await localFileOf(stored, store);
  return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
}
