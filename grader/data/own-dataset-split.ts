import { SeededRandom } from "../random";
import { indicesByClass, type ImageDataset } from "./image-dataset";
import { perceptualHashes, hashDistance } from "./perceptual-hash";

export const PART = { train: 0, validation: 1, test: 2, removed: -1 } as const;
export type PartName = keyof typeof PART;

export interface SplitOptions {
  seed: number;
  /** Fractions of each class for validation and test; the rest trains. */
  validation: number;
  test: number;
  /** Candidate near duplicates: perceptual hashes at most this many bits apart (of 64)... */
  nearDuplicateBits: number;
  /**
   * ...whose pixels also differ by at most this much on average (0–255 scale) once each image's mean brightness is
   * taken away: this tells copies of one photo (re-encoded, brightened) from different photos that look alike at 8×8.
   */
  nearDuplicateMeanDiff: number;
}

/**
 * Measured on 3,000 Fashion-MNIST photos: no two distinct photos came within 6 bits and a brightness-corrected mean
 * difference of 7.6, while re-saving a digit as JPEG (quality 70, brighter by 6) stays within 2 bits and 5.7.
 */
export const DEFAULT_SPLIT: Omit<SplitOptions, "seed"> = { validation: 0.15, test: 0.15, nearDuplicateBits: 6, nearDuplicateMeanDiff: 6 };

export interface DuplicatePair {
  /** The image kept out of the test split, or the later of a pair inside one split. */
  image: number;
  /** The image it copies. */
  of: number;
  /** Hash distance in bits. */
  distance: number;
  /** Mean absolute pixel difference (0–255) after brightness correction; `exact` when the pixels are byte-identical. */
  meanDiff: number;
  exact: boolean;
  /** True when `image` was a test image copying a training or validation image, and was removed from the test split. */
  removedFromTest: boolean;
}

export interface OwnDatasetSplit {
  /** Per image, a PART value. */
  part: Int8Array;
  duplicates: DuplicatePair[];
  sizes: Record<PartName, number>;
}

/**
 * The platform's split of a student's dataset into train / validation / test: seeded and stratified (each class
 * split in the same proportions, each part given at least one image of every class with three or more), so the same
 * dataset and seed give the same split in every process. Then every pair of exact or near duplicates (perceptual
 * hash, confirmed on the pixels) is found; a test image that copies a training or validation image would let a model score by memory, so it
 * is taken out of the test split (`removed`) and reported, as are duplicates within one part.
 */
export function splitOwnDataset(ds: ImageDataset, opts: SplitOptions): OwnDatasetSplit {
  const part = new Int8Array(ds.count).fill(PART.train);
  const rng = new SeededRandom(opts.seed);
  for (const group of indicesByClass(ds.labels).values()) {
    const idx = rng.shuffle(group) as number[];
    const atLeastOne = idx.length >= 3 ? 1 : 0;
    const nTest = Math.max(atLeastOne, Math.round(idx.length * opts.test));
    const nVal = Math.max(atLeastOne, Math.round(idx.length * opts.validation));
    idx.forEach((i, n) => {
      part[i] = n < nTest ? PART.test : n < nTest + nVal ? PART.validation : PART.train;
    });
  }
  const duplicates = findDuplicates(ds, part, opts);
  const sizes = { train: 0, validation: 0, test: 0, removed: 0 };
  for (const p of part) sizes[p === PART.train ? "train" : p === PART.validation ? "validation" : p === PART.test ? "test" : "removed"]++;
  return { part, duplicates, sizes };
}

/** All-pairs comparison of 64-bit hashes (about 18 million pairs for 6,000 images, well under a second); pixels are compared only for the few candidates. */
function findDuplicates(ds: ImageDataset, part: Int8Array, opts: SplitOptions): DuplicatePair[] {
  const hashes = perceptualHashes(ds);
  const px = ds.shape[0] * ds.shape[1] * ds.shape[2];
  const means = new Float64Array(ds.count);
  for (let i = 0; i < ds.count; i++) {
    let s = 0;
    for (let p = 0; p < px; p++) s += ds.images[i * px + p]!;
    means[i] = s / px;
  }
  /** Mean absolute difference with each image's own mean brightness taken away. */
  const meanDiff = (i: number, j: number): number => {
    const shift = means[i]! - means[j]!;
    let s = 0;
    for (let p = 0; p < px; p++) s += Math.abs(ds.images[i * px + p]! - ds.images[j * px + p]! - shift);
    return s / px;
  };
  const sameBytes = (i: number, j: number): boolean =>
    Buffer.compare(ds.images.subarray(i * px, (i + 1) * px), ds.images.subarray(j * px, (j + 1) * px)) === 0;
  const pairs: DuplicatePair[] = [];
  const claimed = new Set<number>();
  for (let j = 0; j < ds.count; j++) {
    for (let i = 0; i < j; i++) {
      const distance = hashDistance(hashes, i, j);
      if (distance > opts.nearDuplicateBits) continue;
      const diff = meanDiff(i, j);
      if (diff > opts.nearDuplicateMeanDiff) continue;
      const crossesTest = (part[i] === PART.test) !== (part[j] === PART.test);
      // The copy in the test split is the one kept out, whichever index it has.
      const [image, of] = part[i] === PART.test ? [i, j] : [j, i];
      if (crossesTest && part[image] === PART.test && part[of] !== PART.removed) {
        part[image] = PART.removed;
        claimed.add(image);
        pairs.push({ image, of, distance, meanDiff: diff, exact: sameBytes(image, of), removedFromTest: true });
      } else if (!claimed.has(j)) {
        claimed.add(j);
        pairs.push({ image: j, of: i, distance, meanDiff: diff, exact: sameBytes(i, j), removedFromTest: false });
      }
    }
  }
  return pairs;
}
