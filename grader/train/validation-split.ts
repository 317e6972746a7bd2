import { SeededRandom } from "../random";

/**
 * Splits training indices into train/validation, stratified per class and seeded, so validation curves are
 * comparable between runs of the same submission. Classes with one example stay entirely in training.
 */
export function validationSplit(labels: ArrayLike<number>, fraction: number, seed: number): { train: Int32Array; val: Int32Array } {
  if (fraction <= 0) return { train: Int32Array.from({ length: labels.length }, (_, i) => i), val: new Int32Array(0) };
  const rng = new SeededRandom(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    if (!byClass.has(labels[i]!)) byClass.set(labels[i]!, []);
    byClass.get(labels[i]!)!.push(i);
  }
  const train: number[] = [];
  const val: number[] = [];
  for (const k of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = rng.shuffle(byClass.get(k)!) as number[];
    const n = idx.length > 1 ? Math.min(idx.length - 1, Math.round(idx.length * fraction)) : 0;
    val.push(...idx.slice(0, n));
    train.push(...idx.slice(n));
  }
  return { train: Int32Array.from(train.sort((a, b) => a - b)), val: Int32Array.from(val.sort((a, b) => a - b)) };
}
