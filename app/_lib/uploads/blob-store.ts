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

/** Removes a blob written for a submission that was then refused (best effort, logged). */
export async function removeBlob(file: string): Promise<void> {
  try {
    await fs.rm(path.dirname(file), { recursive: true, force: true });
  } catch (e) {
    console.error(`[uploads] could not remove ${file}:`, (e as Error).message);
  }
}
