import type { LayersModel, Tensor, Tensor4D, Variable } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import type { ImageDataset } from "../data/image-dataset";
import { GradingAbortedError } from "../errors";
import { predictProbabilities } from "../evaluate/predict";
import type { SeededRandom } from "../random";
import type { EpochRecord } from "../report/schema";
import type { GradingProgress } from "../contracts/grading-progress";
import type { Training } from "../spec/training";
import { augmentBatch, augments } from "./augment";
import { makeBatch } from "./batches";
import { applyHead, extractFeatures, featureBatch, predictFromFeatures, type FeatureCache, type FeatureCachePlan } from "./feature-cache";
import { disposeOptimizer, makeOptimizer } from "./optimizer";
import { createTimeLeftEstimator } from "./time-left";

/** Keras clips probabilities by this epsilon before taking the log. */
const EPSILON = 1e-7;

export interface TrainPhase {
  name: "train" | "head" | "fineTune";
  epochs: number;
  learningRate: number;
  /** Called before the phase starts, e.g. to unfreeze base layers. */
  prepare?: () => void;
  /** Train the head on the frozen base's features, computed once per image (see feature-cache.ts). */
  featureCache?: FeatureCachePlan;
}

/** What a phase that trained on cached base features did, for the report. */
export interface FeatureCacheUse {
  phase: TrainPhase["name"];
  images: number;
  variants: number;
  /** Variants read from the disk cache instead of computed. */
  readVariants: number;
  extractMs: number;
}

export interface TrainInput {
  tf: Tf;
  model: LayersModel;
  data: ImageDataset;
  trainIndices: Int32Array;
  valIndices: Int32Array;
  training: Training;
  phases: TrainPhase[];
  classWeights: number[];
  rng: SeededRandom;
  /** Absolute time (ms since epoch) by which training must stop: the assignment's wall-clock budget. */
  deadline: number;
  onProgress?: (p: GradingProgress) => void;
  /** What the "time left" of progress events goes on besides this job's own speed (see time-left.ts). */
  timeLeft?: { priorImagesPerSecond?: number; evaluationImages: number };
  signal?: AbortSignal;
}

export interface TrainResult {
  curves: EpochRecord[];
  epochsRun: number;
  stopReason: "completed" | "earlyStopping" | "wallClock" | "diverged";
  /** Set when stopReason is diverged: what happened, in words a student can act on. */
  divergence?: string;
  trainMs: number;
  imagesPerSecond: number | null;
  /** Phases that trained on cached base features. */
  featureCache: FeatureCacheUse[];
}

/** Sets the seed a Dropout layer draws its mask from. TF.js keeps it in a private field read on every call. */
function reseedDropout(model: LayersModel, rng: SeededRandom): void {
  const visit = (layers: LayersModel["layers"]): void => {
    for (const l of layers) {
      if (l.getClassName() === "Dropout") (l as unknown as { seed?: number }).seed = rng.seed();
      const inner = (l as unknown as { layers?: LayersModel["layers"] }).layers;
      if (Array.isArray(inner)) visit(inner);
    }
  };
  visit(model.layers);
}

function hasDropout(model: LayersModel): boolean {
  let found = false;
  const visit = (layers: LayersModel["layers"]): void => {
    for (const l of layers) {
      if (l.getClassName() === "Dropout") found = true;
      const inner = (l as unknown as { layers?: LayersModel["layers"] }).layers;
      if (Array.isArray(inner)) visit(inner);
    }
  };
  visit(model.layers);
  return found;
}

function labelsOf(ds: ImageDataset, indices: ArrayLike<number>, from: number, to: number): Int32Array {
  const y = new Int32Array(to - from);
  for (let i = from; i < to; i++) y[i - from] = ds.labels[indices[i]!]!;
  return y;
}

/** Mean cross-entropy and accuracy of probabilities against labels (validation; unweighted, like Keras). */
function lossAndAccuracy(probs: Float32Array, labels: Uint8Array, indices: Int32Array, k: number): { loss: number; acc: number } {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < indices.length; i++) {
    const y = labels[indices[i]!]!;
    const row = probs.subarray(i * k, (i + 1) * k);
    loss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, row[y]!)));
    let best = 0;
    for (let j = 1; j < k; j++) if (row[j]! > row[best]!) best = j;
    if (best === y) correct++;
  }
  return { loss: loss / indices.length, acc: correct / indices.length };
}

/**
 * The seeded, budgeted training loop. Per batch: a float batch is built in JS, augmented with tensor ops, and one
 * optimizer step runs inside `tf.tidy`, so every intermediate tensor is freed before the next batch. Stops on a
 * non-finite loss (diverged), on early stopping, or at the wall-clock deadline; reports progress per batch and epoch.
 * @see ../../../shared/STYLE.md (tfjs-examples: free tensors every batch)
 */
export async function trainModel(input: TrainInput): Promise<TrainResult> {
  const { tf, model, data, training, rng } = input;
  const [h, w, c] = data.shape;
  const k = data.classes.length;
  const batchSize = training.batchSize;
  const batches = Math.ceil(input.trainIndices.length / batchSize);
  const totalEpochs = input.phases.reduce((a, p) => a + p.epochs, 0);
  const weights = tf.tensor1d(input.classWeights);
  const curves: EpochRecord[] = [];
  const started = Date.now();
  let imagesSeen = 0;
  const timeLeft = createTimeLeftEstimator({
    totalImages: totalEpochs * input.trainIndices.length,
    evaluationImages: input.timeLeft?.evaluationImages ?? 0,
    priorImagesPerSecond: input.timeLeft?.priorImagesPerSecond,
    deadline: input.deadline,
  });
  let epochCounter = 0;
  let stopReason: TrainResult["stopReason"] = "completed";
  let divergence: string | undefined;
  const dropout = hasDropout(model);
  const doAugment = augments(training.augmentation);
  const cacheUses: FeatureCacheUse[] = [];

  try {
    phases: for (const phase of input.phases) {
      phase.prepare?.();
      const vars = model.trainableWeights.map((v) => v.read() as Variable);
      if (vars.length === 0) throw new Error(`phase ${phase.name} has no trainable weights`);
      let cache: FeatureCache | undefined;
      if (phase.featureCache) {
        const extracted = await extractFeatures(tf, phase.featureCache, data, { signal: input.signal, deadline: input.deadline });
        if (extracted === "wallClock") {
          stopReason = "wallClock";
          break phases;
        }
        cache = extracted;
        cacheUses.push({ phase: phase.name, images: cache.images, variants: cache.variants, readVariants: cache.readVariants, extractMs: cache.ms });
      }
      const optimizer = makeOptimizer(tf, training, phase.learningRate);
      let best = Number.POSITIVE_INFINITY;
      let sinceBest = 0;
      try {
        for (let e = 0; e < phase.epochs; e++) {
          epochCounter++;
          const epochStart = Date.now();
          const order = rng.permutation(input.trainIndices.length);
          const indices = order.map((i) => input.trainIndices[i]!);
          let lossSum = 0;
          let accSum = 0;
          let seen = 0;
          for (let b = 0; b < batches; b++) {
            if (input.signal?.aborted) throw new GradingAbortedError();
            if (Date.now() > input.deadline) {
              stopReason = "wallClock";
              break phases;
            }
            const from = b * batchSize;
            const to = Math.min(indices.length, from + batchSize);
            if (dropout) reseedDropout(model, rng);
            // Cached: the flips are drawn here, in augmentBatch's order, and pick among the cached variants.
            const batch = cache
              ? { x: featureBatch(cache, indices, from, to, rng), y: labelsOf(data, indices, from, to), size: to - from }
              : makeBatch(data, indices, from, to);
            let acc: Tensor | undefined;
            let probSum: Tensor | undefined;
            const stats = tf.tidy(() => {
              let x: Tensor = cache ? tf.tensor(batch.x, [batch.size, ...cache.plan.featureShape]) : tf.tensor4d(batch.x, [batch.size, h, w, c]);
              if (doAugment && !cache) x = augmentBatch(tf, x as Tensor4D, training.augmentation, rng);
              const y = tf.tensor1d(batch.y, "int32");
              const oneHot = tf.oneHot(y, k);
              const sampleWeights = tf.gather(weights, y);
              const loss = optimizer.minimize(() => {
                const probs = cache ? applyHead(cache.plan, x, true) : model.apply(x, { training: true }) as Tensor;
                const perExample = tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON))), -1));
                // Kept past the tape's tidy so it can be read with the loss; disposed right after the read below.
                acc = tf.keep(tf.mean(tf.cast(tf.equal(tf.argMax(probs, -1), y), "float32")));
                // The clip hides NaN probabilities from the loss on some backends; their sum does not.
                probSum = tf.keep(tf.sum(probs));
                return tf.mean(tf.mul(perExample, sampleWeights)) as import("@tensorflow/tfjs").Scalar;
              }, true, vars);
              return tf.stack([loss!, acc!, probSum!]);
            });
            const [loss, accValue, sumValue] = stats.dataSync() as Float32Array;
            stats.dispose();
            acc?.dispose();
            probSum?.dispose();
            if (!Number.isFinite(loss!) || !Number.isFinite(sumValue!)) {
              stopReason = "diverged";
              const what = !Number.isFinite(loss!) ? (Number.isNaN(loss!) ? "NaN" : "infinite") : "NaN (the model's outputs are not numbers)";
              divergence = `The training loss became ${what} in epoch ${epochCounter}, batch ${b + 1}: the model diverged. Lower the learning rate (now ${phase.learningRate}), add batch normalization, or use a different optimizer.`;
              break phases;
            }
            lossSum += loss! * batch.size;
            accSum += accValue! * batch.size;
            seen += batch.size;
            imagesSeen += batch.size;
            const etaSeconds = timeLeft.afterBatch(imagesSeen);
            input.onProgress?.({
              phase: "training", epoch: epochCounter, epochs: totalEpochs, batch: b + 1, batches,
              loss: lossSum / seen, acc: accSum / seen, etaSeconds,
              trainingPhase: phase.name === "train" ? undefined : phase.name,
            });
            await new Promise<void>((r) => setImmediate(r));
          }
          let valLoss: number | null = null;
          let valAcc: number | null = null;
          if (input.valIndices.length > 0) {
            const probs = cache
              ? await predictFromFeatures(tf, cache, input.valIndices, k)
              : await predictProbabilities(tf, model, data, input.valIndices);
            const v = lossAndAccuracy(probs, data.labels, input.valIndices, k);
            valLoss = v.loss;
            valAcc = v.acc;
          }
          curves.push({
            epoch: epochCounter, phase: phase.name, loss: lossSum / seen, acc: accSum / seen, valLoss, valAcc,
            learningRate: phase.learningRate, seconds: (Date.now() - epochStart) / 1000,
          });
          // The epoch's closing event: all its batches done, its validation figures, the estimate after them.
          input.onProgress?.({
            phase: "training", epoch: epochCounter, epochs: totalEpochs, batch: batches, batches, epochEnd: true,
            loss: lossSum / seen, acc: accSum / seen, valLoss: valLoss ?? undefined, valAcc: valAcc ?? undefined,
            etaSeconds: timeLeft.estimate(imagesSeen),
            trainingPhase: phase.name === "train" ? undefined : phase.name,
          });
          const es = training.earlyStopping;
          if (es && valLoss !== null && valAcc !== null) {
            const value = es.monitor === "valLoss" ? valLoss : -valAcc;
            if (value < best - es.minDelta) {
              best = value;
              sinceBest = 0;
            } else if (++sinceBest > es.patience) {
              stopReason = "earlyStopping";
              break;
            }
          }
        }
      } finally {
        disposeOptimizer(optimizer);
      }
    }
  } finally {
    weights.dispose();
  }
  const trainMs = Date.now() - started;
  return {
    curves,
    epochsRun: curves.length,
    stopReason,
    divergence,
    trainMs,
    imagesPerSecond: trainMs > 0 && imagesSeen > 0 ? imagesSeen / (trainMs / 1000) : null,
    featureCache: cacheUses,
  };
}
