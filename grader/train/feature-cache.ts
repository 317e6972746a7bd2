import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import type { ImageDataset } from "../data/image-dataset";
import { GradingAbortedError } from "../errors";
import type { SeededRandom } from "../random";
import type { Augmentation } from "../spec/training";
import { makeBatch } from "./batches";

/**
 * Frozen-base feature caching ("fast feature extraction"): while a transfer model's base is frozen, the base maps
 * each image to the same features at every step, so phase one can compute them once per image and train the head on
 * them. The result is the uncached training, not an approximation: the same random draws in the same order, the same
 * head, the same gradients (the base has none to give while frozen).
 *
 * What keeps it exact, checked in `planFeatureCache`:
 * - every base (and preprocessing) layer computes the same thing in training and inference mode — no Dropout or
 *   BatchNormalization, whose training mode depends on the step or on the batch;
 * - the only augmentations are flips: a flip moves pixels without changing them, so a flipped image's features are
 *   those of its cached mirror image (one set of features per flip combination: 2 for one flip, 4 for both);
 *   rotation, shift, zoom and brightness draw new pixels every step and leave the base running.
 *
 * The features depend only on the base's weights and layers, the images and the backend — nothing a student chooses —
 * so they are also kept on disk under `<DATA_DIR>/feature-cache`, keyed by a hash of all of those: every later
 * transfer submission on the same base and training set reads them instead of running the base at all.
 */

const FORMAT_VERSION = 1;

/** Layers whose output does not depend on the `training` flag or on the rest of the batch. */
const DETERMINISTIC_LAYERS = new Set([
  "InputLayer", "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Conv2DTranspose", "MaxPooling2D", "AveragePooling2D",
  "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Flatten", "Dense",
  "ZeroPadding2D", "Cropping2D", "Rescaling", "Reshape", "Add", "Multiply", "Concatenate", "Average", "Maximum", "Minimum",
]);

/** The features of all variants of the training and validation images must fit in this much memory. */
export const FEATURE_CACHE_MAX_BYTES = 512 * 1024 * 1024;

/** How phase one can train on cached features: which layers make the features and which form the head. */
export interface FeatureCachePlan {
  /** Layers from the input to the base's output (preprocessing, then the base), applied in order. */
  extractor: LayersModel["layers"];
  /** The layers after the base, applied in order to the features. */
  head: LayersModel["layers"];
  featureShape: number[];
  horizontalFlip: boolean;
  verticalFlip: boolean;
  /** Where computed features are kept for later jobs (DATA_DIR), and the backend that computes them. */
  store?: { dataDir: string; backend: string };
}

/** Why a transfer phase runs its base every step instead, in words for the report. */
export type FeatureCacheDecision = { plan: FeatureCachePlan } | { reason: string };

function layerClasses(layers: LayersModel["layers"], out: string[] = []): string[] {
  for (const l of layers) {
    // A nested model (the base) is judged by its layers.
    const inner = (l as unknown as { layers?: LayersModel["layers"] }).layers;
    if (Array.isArray(inner)) layerClasses(inner, out);
    else out.push(l.getClassName());
  }
  return out;
}

/** Number of feature sets per image: one per combination of the flips in use. */
export const variantsOf = (p: Pick<FeatureCachePlan, "horizontalFlip" | "verticalFlip">): number =>
  (p.horizontalFlip ? 2 : 1) * (p.verticalFlip ? 2 : 1);

/**
 * Decides whether a frozen-base phase of `epochs` epochs on a dataset of `images` images can train on cached
 * features: the model must be the
 * transfer chain input → preprocessing → `base` → head with the base frozen, its layers deterministic, the
 * augmentation flips only, the cache within FEATURE_CACHE_MAX_BYTES, and the cache cheaper than running the base every
 * epoch: the base runs once per image and flip variant instead of once per image and epoch, so there must be fewer
 * variants than epochs.
 */
export function planFeatureCache(
  model: LayersModel, base: LayersModel, augmentation: Augmentation, epochs: number, images: number,
): FeatureCacheDecision {
  const at = model.layers.indexOf(base);
  if (at < 0) return { reason: "the base is not a layer of the model" };
  if (base.trainableWeights.length > 0) return { reason: "the base is not frozen" };
  const extractor = model.layers.slice(0, at + 1).filter((l) => l.getClassName() !== "InputLayer");
  const varying = layerClasses(extractor).filter((c) => !DETERMINISTIC_LAYERS.has(c));
  if (varying.length) return { reason: `the base's ${[...new Set(varying)].join(", ")} layers behave differently in training` };
  const a = augmentation;
  if (a.rotationRange > 0 || a.widthShiftRange > 0 || a.heightShiftRange > 0 || a.zoomRange > 0 || a.brightnessRange > 0) {
    return { reason: "the augmentation changes pixels at every step (only flips can use cached features)" };
  }
  const featureShape = (base.outputs[0]!.shape as (number | null)[]).slice(1);
  if (featureShape.some((d) => d === null)) return { reason: "the base's output shape is not fixed" };
  const plan: FeatureCachePlan = {
    extractor, head: model.layers.slice(at + 1), featureShape: featureShape as number[],
    horizontalFlip: a.horizontalFlip, verticalFlip: a.verticalFlip,
  };
  const variants = variantsOf(plan);
  const size = plan.featureShape.reduce((x, y) => x * y, 1);
  const bytes = size * variants * images * Float32Array.BYTES_PER_ELEMENT;
  if (bytes > FEATURE_CACHE_MAX_BYTES) {
    return { reason: `the features would take ${Math.round(bytes / 2 ** 20)} MB (at most ${FEATURE_CACHE_MAX_BYTES / 2 ** 20} MB)` };
  }
  if (variants >= epochs) {
    return { reason: `with ${variants} flip variants per image and ${epochs} epoch(s), caching would not save base computations` };
  }
  return { plan };
}

/** Cached features of every image of a dataset: one row per (variant, dataset index). */
export interface FeatureCache {
  plan: FeatureCachePlan;
  /** Row-major [variants × images, ...featureShape]. */
  features: Float32Array;
  images: number;
  variants: number;
  /** Variants read from the disk cache (computed by an earlier job) rather than computed now. */
  readVariants: number;
  /** Wall-clock time getting the features took. */
  ms: number;
}

/** A hash of everything the features depend on: the extractor's layers and weights, the images, the backend. */
function storeKey(plan: FeatureCachePlan, data: ImageDataset, backend: string, variant: number): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ v: FORMAT_VERSION, backend, variant, flips: [plan.horizontalFlip, plan.verticalFlip], shape: data.shape, count: data.count }));
  for (const l of plan.extractor) {
    h.update(JSON.stringify([l.getClassName(), l.getConfig()]));
    for (const w of l.getWeights()) {
      const v = w.dataSync() as Float32Array;
      h.update(JSON.stringify(w.shape)).update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
  }
  h.update(data.images);
  return h.digest("hex").slice(0, 32);
}

const storeFile = (dataDir: string, key: string): string => path.join(dataDir, "feature-cache", `${key}.f32`);

/** The stored features of one variant, or undefined when absent or of the wrong size (then they are computed again). */
async function readStored(file: string, length: number): Promise<Float32Array | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  if (buf.length !== length * Float32Array.BYTES_PER_ELEMENT) {
    console.warn(`[grader:features] ${path.basename(file)} has the wrong size; computing the features again`);
    return undefined;
  }
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Writes one variant's features atomically (temp file + rename), so a concurrent job never reads half a file. */
async function writeStored(file: string, features: Float32Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
  await rename(tmp, file);
}

/** The batch size features are computed with (inference only, so larger than a training batch). */
const EXTRACT_BATCH = 128;

/**
 * The features of every image of `data` for every flip variant: read from the disk cache, or computed by running the
 * preprocessing and the frozen base once per image (inference mode, which for the deterministic layers
 * `planFeatureCache` allows equals training mode) and stored for later jobs. Checks the abort signal and the deadline
 * between batches: this is part of the training time.
 */
export async function extractFeatures(
  tf: Tf, plan: FeatureCachePlan, data: ImageDataset, opts: { signal?: AbortSignal; deadline: number },
): Promise<FeatureCache | "wallClock"> {
  const started = Date.now();
  const [h, w, c] = data.shape;
  const size = plan.featureShape.reduce((x, y) => x * y, 1);
  const variants = variantsOf(plan);
  const n = data.count;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const features = new Float32Array(variants * n * size);
  let readVariants = 0;
  for (let v = 0; v < variants; v++) {
    const file = plan.store ? storeFile(plan.store.dataDir, storeKey(plan, data, plan.store.backend, v)) : undefined;
    const stored = file ? await readStored(file, n * size) : undefined;
    if (stored) {
      features.set(stored, v * n * size);
      readVariants++;
      continue;
    }
    // Variant bits in augmentBatch's order: horizontal first, then vertical.
    const hFlip = plan.horizontalFlip && (v & 1) === 1;
    const vFlip = plan.verticalFlip && (plan.horizontalFlip ? (v & 2) === 2 : (v & 1) === 1);
    for (let from = 0; from < n; from += EXTRACT_BATCH) {
      if (opts.signal?.aborted) throw new GradingAbortedError();
      if (Date.now() > opts.deadline) return "wallClock";
      const to = Math.min(n, from + EXTRACT_BATCH);
      const batch = makeBatch(data, all, from, to);
      const out = tf.tidy(() => {
        let x: Tensor = tf.tensor4d(batch.x, [batch.size, h, w, c]);
        if (hFlip) x = tf.image.flipLeftRight(x as import("@tensorflow/tfjs").Tensor4D);
        if (vFlip) x = tf.reverse(x, 1);
        for (const l of plan.extractor) x = l.apply(x, { training: false }) as Tensor;
        return x;
      });
      features.set((await out.data()) as Float32Array, (v * n + from) * size);
      out.dispose();
      await new Promise<void>((r) => setImmediate(r));
    }
    if (file) await writeStored(file, features.subarray(v * n * size, (v + 1) * n * size));
  }
  return { plan, features, images: n, variants, readVariants, ms: Date.now() - started };
}

/**
 * One training batch of cached features for the dataset indices `order[from..to)`, drawing the flips exactly as
 * augmentBatch does (one draw per image for the horizontal flip, then one per image for the vertical flip, from the
 * same stream), so the cached and the uncached phase consume the same random numbers.
 */
export function featureBatch(cache: FeatureCache, order: ArrayLike<number>, from: number, to: number, rng: SeededRandom): Float32Array {
  const { plan, images } = cache;
  const size = cache.features.length / (cache.variants * images);
  const b = to - from;
  const hMask = plan.horizontalFlip ? Array.from({ length: b }, () => (rng.next() < 0.5 ? 1 : 0)) : undefined;
  const vMask = plan.verticalFlip ? Array.from({ length: b }, () => (rng.next() < 0.5 ? 1 : 0)) : undefined;
  const out = new Float32Array(b * size);
  for (let i = 0; i < b; i++) {
    const p = order[from + i]!;
    const v = plan.horizontalFlip ? (hMask![i]! + (vMask ? 2 * vMask[i]! : 0)) : (vMask?.[i] ?? 0);
    const row = (v * images + p) * size;
    out.set(cache.features.subarray(row, row + size), i * size);
  }
  return out;
}

/** The head on a batch of features: the part of the model's forward pass after the base. */
export function applyHead(plan: FeatureCachePlan, x: Tensor, training: boolean): Tensor {
  let y = x;
  for (const l of plan.head) y = l.apply(y, { training }) as Tensor;
  return y;
}

/** Class probabilities of the cached, unflipped images `indices` through the head in inference mode. */
export async function predictFromFeatures(tf: Tf, cache: FeatureCache, indices: ArrayLike<number>, k: number): Promise<Float32Array> {
  const size = cache.features.length / (cache.variants * cache.images);
  const out = new Float32Array(indices.length * k);
  for (let from = 0; from < indices.length; from += EXTRACT_BATCH) {
    const to = Math.min(indices.length, from + EXTRACT_BATCH);
    const x = new Float32Array((to - from) * size);
    for (let i = from; i < to; i++) {
      const p = indices[i]!;
      x.set(cache.features.subarray(p * size, (p + 1) * size), (i - from) * size);
    }
    const probs = tf.tidy(() => applyHead(cache.plan, tf.tensor(x, [to - from, ...cache.plan.featureShape]), false));
    out.set((await probs.data()) as Float32Array, from * k);
    probs.dispose();
    await new Promise<void>((r) => setImmediate(r));
  }
  return out;
}
