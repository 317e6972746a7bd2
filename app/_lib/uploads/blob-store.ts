import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@/env";

/**
 * Where uploaded files live: `<DATA_DIR>/blobs/<area>/<id>/<name>`. Names are chosen by the server,
 * never taken from the upload, so a crafted filename cannot escape the folder.
 */
export function blobRoot(dataDir: string = env.DATA_DIR): string {
  return path.resolve(dataDir, "blobs");
}

/** Writes bytes to a fresh folder under the blob root and returns the absolute path. */
export async function saveBlob(
  area: "submissions" | "datasets",
  name: "model.zip" | "report.md" | "report.pdf" | "dataset.zip" | "dataset.bin",
  bytes: Uint8Array,
  dataDir?: string,
): Promise<string> {
  const dir = path.join(blobRoot(dataDir), area, crypto.randomUUID());
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return file;
}

/**
 * Moves a file that is already on disk (an upload spooled by readLimitedFormData) into a fresh folder under the blob
 * root, without reading it into memory, and returns the new absolute path.
 */
export async function moveIntoBlobStore(
  from: string,
  area: "submissions" | "datasets",
  name: "model.zip" | "dataset.zip",
  dataDir?: string,
): Promise<string> {
  const dir = path.join(blobRoot(dataDir), area, crypto.randomUUID());
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await fs.rename(from, file);
  return file;
}

/** A server-chosen file name: letters, digits, dot, dash, underscore; no path separators. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Moves several spooled uploads into one fresh folder under the blob root (CIFAR-10 batches, an IDX pair) under
 * server-chosen names, without reading them into memory, and returns the folder's absolute path.
 */
export async function moveIntoBlobFolder(area: "datasets", files: { name: string; from: string }[], dataDir?: string): Promise<string> {
  const dir = path.join(blobRoot(dataDir), area, crypto.randomUUID());
  await fs.mkdir(dir, { recursive: true });
  for (const f of files) {
    if (!SAFE_NAME.test(f.name)) throw new Error(`moveIntoBlobFolder: unsafe file name ${JSON.stringify(f.name)}`);
    await fs.rename(f.from, path.join(dir, f.name));
  }
  return dir;
}

/** Removes a blob written for a submission that was then refused (best effort, logged). */
export async function removeBlob(file: string): Promise<void> {
  try {
    const stat = await fs.stat(file).catch(() => null);
    // A folder blob is removed whole; a file blob with the folder made for it.
    await fs.rm(stat?.isDirectory() ? file : path.dirname(file), { recursive: true, force: true });
  } catch (e) {
    console.error(`[uploads] could not remove ${file}:`, (e as Error).message);
  }
}
