import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ImageDataset } from "./image-dataset";

/**
 * The decoded uint8 cache under `<DATA_DIR>/dataset-cache`: a held-out set is decoded (or generated) once and then
 * read back as raw bytes by every job. One file per dataset: a length-prefixed JSON header, labels, pixels.
 */

const FORMAT_VERSION = 1;

/** A stable cache key for whatever identifies a decoded dataset (its reference, target shape, classes, file stamps). */
export function cacheKey(identity: unknown): string {
  return createHash("sha256").update(JSON.stringify({ v: FORMAT_VERSION, identity })).digest("hex").slice(0, 32);
}

function fileFor(dataDir: string, key: string): string {
  return path.join(dataDir, "dataset-cache", `${key}.tgds`);
}

/** Reads a cached dataset, or undefined when absent or unreadable (a corrupt entry is simply rebuilt). */
export async function readCached(dataDir: string, key: string): Promise<ImageDataset | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(fileFor(dataDir, key));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const headerLen = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + headerLen).toString("utf8")) as {
    classes: string[]; shape: [number, number, number]; count: number;
  };
  const px = header.shape[0] * header.shape[1] * header.shape[2];
  const start = 4 + headerLen;
  if (buf.length !== start + header.count * (1 + px)) {
    console.warn(`[grader:data] cache entry ${key} has the wrong size; rebuilding it`);
    return undefined;
  }
  // Copy out of the pooled Buffer so the arrays own tightly-sized memory.
  const labels = new Uint8Array(buf.subarray(start, start + header.count));
  const images = new Uint8Array(buf.subarray(start + header.count));
  return { ...header, labels, images };
}

/** Writes a dataset to the cache atomically (temp file + rename), so concurrent jobs never read half a file. */
export async function writeCached(dataDir: string, key: string, ds: ImageDataset): Promise<void> {
  const file = fileFor(dataDir, key);
  await mkdir(path.dirname(file), { recursive: true });
  const header = Buffer.from(JSON.stringify({ classes: ds.classes, shape: ds.shape, count: ds.count }), "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, Buffer.concat([len, header, ds.labels, ds.images]));
  await rename(tmp, file);
}

/** Returns the cached dataset for `identity`, building and caching it on a miss. */
export async function cached(
  dataDir: string,
  identity: unknown,
  build: () => Promise<ImageDataset>,
): Promise<{ dataset: ImageDataset; hit: boolean }> {
  const key = cacheKey(identity);
  const hit = await readCached(dataDir, key);
  if (hit) return { dataset: hit, hit: true };
  const dataset = await build();
  await writeCached(dataDir, key, dataset);
  return { dataset, hit: false };
}

/** Removes a cache entry (a deleted dataset's); absent is fine. */
export async function removeCached(dataDir: string, key: string): Promise<void> {
  await rm(fileFor(dataDir, key), { force: true });
}
