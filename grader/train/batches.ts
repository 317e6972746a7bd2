import type { ImageDataset } from "../data/image-dataset";

/**
 * Copies the examples `indices[from..to)` into a float batch on the 0..1 scale (the scale every model receives) and
 * their labels. Done in JS so no intermediate tensors are created per batch.
 */
export function makeBatch(ds: ImageDataset, indices: ArrayLike<number>, from: number, to: number): { x: Float32Array; y: Int32Array; size: number } {
  const px = ds.shape[0] * ds.shape[1] * ds.shape[2];
  const size = to - from;
  const x = new Float32Array(size * px);
  const y = new Int32Array(size);
  const inv = 1 / 255;
  for (let i = 0; i < size; i++) {
    const j = indices[from + i]!;
    const src = ds.images.subarray(j * px, (j + 1) * px);
    const off = i * px;
    for (let p = 0; p < px; p++) x[off + p] = src[p]! * inv;
    y[i] = ds.labels[j]!;
  }
  return { x, y, size };
}
