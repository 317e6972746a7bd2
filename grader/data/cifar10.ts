import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ImageDataset } from "./image-dataset";
import { toShape } from "./resize-image";

/** CIFAR-10's class names, used when the folder has no batches.meta.txt. */
export const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
const SIDE = 32;
const RECORD = 1 + 3 * SIDE * SIDE;

/**
 * Reads CIFAR-10 binary batches (`data_batch_N.bin`, `test_batch.bin`): each record is one label byte followed by the
 * red, green and blue planes of a 32×32 image. Converted to HWC and to the assignment's shape.
 */
export async function readCifar10(
  dir: string, files: string[], shape: [number, number, number], limit?: number,
): Promise<ImageDataset> {
  let classes = CIFAR10_CLASSES;
  try {
    const meta = (await readFile(path.join(dir, "batches.meta.txt"), "utf8")).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    if (meta.length >= 2) classes = meta;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const buffers = await Promise.all(files.map((f) => readFile(path.join(dir, f))));
  for (const [i, b] of buffers.entries()) {
    if (b.length % RECORD !== 0) throw new Error(`${files[i]} is not a CIFAR-10 binary batch (size ${b.length} is not a multiple of ${RECORD})`);
  }
  const available = buffers.reduce((a, b) => a + b.length / RECORD, 0);
  const count = Math.min(available, limit ?? available);
  const px = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(count * px);
  const labels = new Uint8Array(count);
  const hwc = new Uint8Array(SIDE * SIDE * 3);
  let i = 0;
  for (const b of buffers) {
    for (let off = 0; off < b.length && i < count; off += RECORD, i++) {
      const label = b[off]!;
      if (label >= classes.length) throw new Error(`CIFAR-10 record ${i} has label ${label}; only ${classes.length} classes are named`);
      labels[i] = label;
      for (let p = 0; p < SIDE * SIDE; p++) {
        for (let c = 0; c < 3; c++) hwc[p * 3 + c] = b[off + 1 + c * SIDE * SIDE + p]!;
      }
      images.set(await toShape(hwc, SIDE, SIDE, 3, shape), i * px);
    }
  }
  return { classes, shape, count, images, labels };
}
