import { indicesByClass } from "../data/image-dataset";
import { SeededRandom } from "../random";

/**
 * Splits training indices into train/validation, stratified per class and seeded, so validation curves are
 * comparable between runs of the same submission. Classes with one example stay entirely in training.
 */
export function validationSplit(labels: ArrayLike<number>, fraction: number, seed: number): { train: Int32Array; val: Int32Array } {
  if (fraction <= 0) return { train: Int32Array.from({ length: labels.length }, (_, i) => i), val: new Int32Array(0) };
  const rng = new SeededRandom(seed);
  const train: number[] = [];
  const val: number[] = [];
  for (const group of indicesByClass(labels).values()) {
    const idx = rng.shuffle(group) as number[];
    const n = idx.length > 1 ? Math.min(idx.length - 1, Math.round(idx.length * fraction)) : 0;
    val.push(...idx.slice(0, n));
    train.push(...idx.slice(n));
  }
  return { train: Int32Array.from(train.sort((a, b) => a - b)), val: Int32Array.from(val.sort((a, b) => a - b)) };
}
