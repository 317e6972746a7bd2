/**
 * `npm run models:pretrain` — trains the course's small pretrained base on a source task different from the
 * assignment's (the SOURCE_SHAPES: ring, hexagon, crescent, bar, semicircle), saves its convolutional part as a
 * TF.js Layers model and registers it. Reproducible: fixed seed, procedurally generated data, one backend.
 */
import path from "node:path";
import type { SymbolicTensor } from "@tensorflow/tfjs";
import { loadTf } from "../backend/load-tf";
import { generateShapes, SOURCE_SHAPES } from "../data/shapes";
import { computeMetrics } from "../metrics/compute-metrics";
import { buildModel } from "../model/build-model";
import { saveLayersModelToDir } from "../model/layers-model-io";
import { predictProbabilities } from "../evaluate/predict";
import { SeededRandom } from "../random";
import { summarizeBase, upsertBase } from "../registry/write-registry";
import { analyzeSpec } from "../spec/analyze";
import { parseSpec } from "../spec/schema";
import { trainModel } from "../train/train-model";
import { validationSplit } from "../train/validation-split";
import { cliArgs } from "./args";

const USAGE = "usage: npm run models:pretrain -- [--name shapes-base] [--out assignments/lesson-6/models/shapes-base] [--seed 17] [--count 6000] [--epochs 12]";

/** The base's layers; the head below is dropped after pretraining. */
const BASE_LAYERS = [
  { type: "conv2d", name: "base_conv1", filters: 16, kernelSize: 3, padding: "same", activation: "relu" },
  { type: "maxPooling2d", name: "base_pool1", poolSize: 2 },
  { type: "conv2d", name: "base_conv2", filters: 32, kernelSize: 3, padding: "same", activation: "relu" },
  { type: "maxPooling2d", name: "base_pool2", poolSize: 2 },
  { type: "conv2d", name: "base_conv3", filters: 64, kernelSize: 3, padding: "same", activation: "relu" },
  { type: "maxPooling2d", name: "base_pool3", poolSize: 2 },
] as const;

async function main(): Promise<void> {
  const { values } = cliArgs({
    name: { type: "string", default: "shapes-base" },
    out: { type: "string", default: "assignments/lesson-6/models/shapes-base" },
    seed: { type: "string", default: "17" },
    count: { type: "string", default: "6000" },
    epochs: { type: "string", default: "12" },
  }, USAGE);
  const seed = Number(values.seed);
  const count = Number(values.count);
  const epochs = Number(values.epochs);
  const shape: [number, number, number] = [32, 32, 3];
  const { tf, backend } = await loadTf();

  const classes = [...SOURCE_SHAPES];
  const train = generateShapes({ count, seed, classes, shape });
  const test = generateShapes({ count: 1000, seed: seed + 1, classes, shape });
  const spec = parseSpec({
    kind: "cnn",
    name: "shapes-base pretraining",
    layers: [...BASE_LAYERS, { type: "globalAveragePooling2d", name: "pretrain_gap" }, { type: "dense", name: "pretrain_out", units: classes.length, activation: "softmax" }],
    training: { optimizer: "adam", learningRate: 0.002, epochs, batchSize: 64, validationSplit: 0.1, augmentation: { horizontalFlip: true } },
  });
  const analysis = analyzeSpec(spec, { inputShape: [32, 32, 3] });
  const rng = new SeededRandom(seed);
  const { model } = buildModel(tf, spec, analysis, rng);
  const split = validationSplit(train.labels, spec.training.validationSplit, seed);
  console.log(`[pretrain] ${backend}: ${split.train.length} images of ${classes.join(", ")}, ${epochs} epochs`);
  const result = await trainModel({
    tf, model, data: train, trainIndices: split.train, valIndices: split.val, training: spec.training,
    phases: [{ name: "train", epochs, learningRate: spec.training.learningRate }],
    classWeights: classes.map(() => 1), rng, deadline: Number.POSITIVE_INFINITY,
    onProgress: (p) => { if (p.batch === 0) console.log(`[pretrain] epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(3)} acc ${p.acc.toFixed(3)} val acc ${p.valAcc?.toFixed(3)}`); },
  });
  if (result.stopReason === "diverged") throw new Error(result.divergence);
  const all = Int32Array.from({ length: test.count }, (_, i) => i);
  const metrics = computeMetrics(await predictProbabilities(tf, model, test, all), test.labels, classes, 2);
  console.log(`[pretrain] source-task test accuracy ${metrics.accuracy.toFixed(3)} (${test.count} images)`);

  const base = tf.model({ inputs: model.inputs, outputs: model.getLayer("base_pool3").output as SymbolicTensor, name: values.name });
  const out = path.resolve(values.out!);
  await saveLayersModelToDir(tf, base, out);
  const summary = summarizeBase(base, {
    name: values.name!,
    description: `Small CNN (3 conv blocks) pretrained by the project on ${classes.join("/")} shapes, not the assignment's classes.`,
    modelPath: path.relative(process.cwd(), out),
    preprocessing: { scale: 1, offset: 0 },
    source: `npm run models:pretrain (seed ${seed}, ${count} images, ${epochs} epochs, ${backend}); source-task test accuracy ${metrics.accuracy.toFixed(3)}`,
  });
  await upsertBase(summary);
  console.log(`[pretrain] saved ${summary.name} to ${summary.modelPath}: ${summary.totalParams} params, output [${summary.outputShape.join(", ")}]`);
  model.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
