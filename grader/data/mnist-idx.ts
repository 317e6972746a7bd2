import { readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { ImageDataset } from "./image-dataset";
import { toShape } from "./resize-image";

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

async function readMaybeGz(file: string): Promise<Buffer> {
  const b = await readFile(file);
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
}

/**
 * Reads MNIST-format IDX files (an idx3 images file and an idx1 labels file, optionally gzipped), resized to the
 * assignment's shape. Classes are the digits 0–9 (or as many as the labels use).
 */
export async function readMnistIdx(
  dir: string, files: [string, string], shape: [number, number, number], limit?: number,
): Promise<ImageDataset> {
  const [imgBuf, lblBuf] = await Promise.all(files.map((f) => readMaybeGz(path.join(dir, f))));
  if (imgBuf!.readUInt32BE(0) !== IMAGES_MAGIC) throw new Error(`${files[0]} is not an IDX images file (bad magic number)`);
  if (lblBuf!.readUInt32BE(0) !== LABELS_MAGIC) throw new Error(`${files[1]} is not an IDX labels file (bad magic number)`);
  const n = imgBuf!.readUInt32BE(4);
  const rows = imgBuf!.readUInt32BE(8);
  const cols = imgBuf!.readUInt32BE(12);
  if (lblBuf!.readUInt32BE(4) !== n) throw new Error(`${files[0]} has ${n} images but ${files[1]} has ${lblBuf!.readUInt32BE(4)} labels`);
  if (imgBuf!.length < 16 + n * rows * cols) throw new Error(`${files[0]} is truncated`);
  const count = Math.min(n, limit ?? n);
  const px = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(count * px);
  const labels = new Uint8Array(count);
  let maxLabel = 0;
  for (let i = 0; i < count; i++) {
    const raw = new Uint8Array(imgBuf!.buffer, imgBuf!.byteOffset + 16 + i * rows * cols, rows * cols);
    images.set(await toShape(raw, cols, rows, 1, shape), i * px);
    labels[i] = lblBuf![8 + i]!;
    maxLabel = Math.max(maxLabel, labels[i]!);
  }
  const classes = Array.from({ length: Math.max(10, maxLabel + 1) }, (_, k) => String(k));
  return { classes, shape, count, images, labels };
}
