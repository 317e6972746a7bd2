import { readFileSync } from "node:fs";
import path from "node:path";
import type { Tf } from "@/grader/backend/load-tf";
import { classCounts } from "@/grader/data/image-dataset";
import { generateShapes, TARGET_SHAPES } from "@/grader/data/shapes";
import { buildModel } from "@/grader/model/build-model";
import { SeededRandom } from "@/grader/random";
import { loadBase } from "@/grader/registry/load-base";
import { analyzeSpec } from "@/grader/spec/analyze";
import { parseSpec, type TransferSpec } from "@/grader/spec/schema";
import { classWeightVector } from "@/grader/train/class-weights";
import { planFeatureCache } from "@/grader/train/feature-cache";
import { trainModel } from "@/grader/train/train-model";
import { transferPhases } from "@/grader/train/transfer-phases";
import { validationSplit } from "@/grader/train/validation-split";
import { INPUT_SHAPE, SEED } from "./train-cases";

/** Assignment 6's training set: 3,000 images (assignments/lesson-6/assignment.yaml), split by the spec's validationSplit. */
const TRAIN_IMAGES = 3_000;
const SPEC_PATH = path.resolve(import.meta.dirname, "../assignments/lesson-6/specs/transfer.yaml");

export interface PhaseOneRun {
  cached: boolean;
  /** Why the cache was not used, when `cached` was asked for and refused. */
  refused?: string;
  trainImages: number;
  valImages: number;
  epochs: number;
  /** Training images seen over the phase (epochs × training images). */
  imagesTrained: number;
  seconds: number;
  cpuSeconds: number;
  extractSeconds: number;
  /** Flip variants whose features were read from the disk cache, of `variants`. */
  readVariants: number;
  variants: number;
  /** The last epoch's figures, to show that both paths trained the same model. */
  last: { loss: number; acc: number; valLoss: number | null; valAcc: number | null };
}

/**
 * Phase one of specs/transfer.yaml as the grader runs it: the registered base with its weights, the spec's head,
 * epochs, batch size, flip augmentation, class weights and validation split, on 3,000 generated shape images (the
 * assignment's training-set size), through the grader's own buildModel and trainModel. With `featureCache` the base's
 * features come from the feature cache in its `dataDir` — computed and stored there by the first run, read by later
 * ones, as for every job after the first on a grading machine; without it the base runs forward at every step.
 * Times the whole phase: extraction, every batch and the validation pass after each epoch.
 */
export async function runPhaseOne(tf: Tf, backend: string, featureCache: false | { dataDir: string }): Promise<PhaseOneRun> {
  const spec = parseSpec(readFileSync(SPEC_PATH, "utf8")) as TransferSpec;
  const out = spec.head.at(-1);
  if (out?.type !== "dense") throw new Error("transfer.yaml's head must end in a dense layer");
  const shapeClasses = TARGET_SHAPES.slice(0, out.units);
  const data = generateShapes({ count: TRAIN_IMAGES, seed: SEED, classes: shapeClasses, shape: INPUT_SHAPE });
  const split = validationSplit(data.labels, spec.training.validationSplit, SEED);
  const loaded = await loadBase(tf, spec.base);
  const { model, base } = buildModel(tf, spec, analyzeSpec(spec, { inputShape: [32, 32, 3] }), new SeededRandom(SEED), loaded);
  try {
    const phase = transferPhases(spec, base!)[0]!;
    let refused: string | undefined;
    if (featureCache) {
      const d = planFeatureCache(model, base!, spec.training.augmentation, phase.epochs, data.count);
      if ("plan" in d) phase.featureCache = { ...d.plan, store: { dataDir: featureCache.dataDir, backend } };
      else refused = d.reason;
    }
    const counts = classCounts({ classes: shapeClasses, labels: Uint8Array.from(split.train, (i) => data.labels[i]!) });
    const classWeights = classWeightVector(spec.training.classWeights, shapeClasses, counts);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = await trainModel({
      tf, model, data, trainIndices: split.train, valIndices: split.val, training: spec.training, phases: [phase],
      classWeights, rng: new SeededRandom(SEED + 1), deadline: Number.POSITIVE_INFINITY,
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const last = r.curves.at(-1)!;
    return {
      cached: r.featureCache.length > 0, refused, trainImages: split.train.length, valImages: split.val.length,
      epochs: phase.epochs, imagesTrained: phase.epochs * split.train.length, seconds, cpuSeconds: (used.user + used.system) / 1e6,
      extractSeconds: (r.featureCache[0]?.extractMs ?? 0) / 1000,
      readVariants: r.featureCache[0]?.readVariants ?? 0, variants: r.featureCache[0]?.variants ?? 0,
      last: { loss: last.loss, acc: last.acc, valLoss: last.valLoss, valAcc: last.valAcc },
    };
  } finally {
    model.dispose();
  }
}
