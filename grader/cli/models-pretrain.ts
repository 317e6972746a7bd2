/**
 * `npm run models:pretrain` — trains one of the course's small pretrained bases on a source task different from the
 * assignment's, saves its convolutional part as a TF.js Layers model and registers it. Two sources:
 * - `--source shapes` (default): the SOURCE_SHAPES (ring, hexagon, crescent, bar, semicircle), drawn from the seed;
 * - `--source fashion-mnist`: real photographs of clothing (Debian's dataset-fashion-mnist), greys at 32×32×3.
 * Reproducible: fixed seed, fixed data, one backend.
 */
import path from "node:path";
import type { SymbolicTensor } from "@tensorflow/tfjs";
import { loadTf } from "../backend/load-tf";
import { subset, type ImageDataset } from "../data/image-dataset";
import { loadRealImages, resizeDataset } from "../data/real-image-sources";
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

const USAGE = "usage: npm run models:pretrain -- [--source shapes|fashion-mnist] [--classes a,b,c] [--name shapes-base] [--out assignments/lesson-6/models/<name>] [--seed 17] [--count 6000] [--epochs 12]";

/** The training and test images of a source task, at the base's input shape. */
async function sourceTask(
  source: string, count: number, seed: number, shape: [number, number, number], only?: string[],
): Promise<{ classes: string[]; train: ImageDataset; test: ImageDataset; about: string }> {
  if (source === "shapes") {
    const classes = [...SOURCE_SHAPES];
    return {
      classes,
      train: generateShapes({ count, seed, classes, shape }),
      test: generateShapes({ count: 1000, seed: seed + 1, classes, shape }),
      about: `${classes.join("/")} shapes`,
    };
  }
  if (source !== "fashion-mnist") throw new Error(`--source must be shapes or fashion-mnist, not ${source}`);
  const all = await loadRealImages("fashion-mnist");
  const unknown = (only ?? []).filter((c) => !all.classes.includes(c));
  if (unknown.length) throw new Error(`--classes: ${unknown.join(", ")} not in Fashion-MNIST (${all.classes.join(", ")})`);
  const classes = only ?? all.classes;
  const keep = Int32Array.from({ length: all.count }, (_, i) => i).filter((i) => classes.includes(all.classes[all.labels[i]!]!));
  const kept = subset(all, keep);
  const photos: ImageDataset = { ...kept, classes, labels: kept.labels.map((l) => classes.indexOf(all.classes[l]!)) };
  // A seeded pick of `count` training and 1,000 test photos, disjoint, the classes in equal numbers.
  const order = new SeededRandom(seed).permutation(photos.count);
  const perClass = classes.map(() => 0);
  const train: number[] = [];
  const test: number[] = [];
  for (const i of order) {
    const k = photos.labels[i]!;
    const n = perClass[k]++;
    if (n < count / classes.length) train.push(i);
    else if (n < (count + 1000) / classes.length) test.push(i);
  }
  return {
    classes,
    train: await resizeDataset(subset(photos, train), shape),
    test: await resizeDataset(subset(photos, test), shape),
    about: `Fashion-MNIST photographs of clothing (${classes.join(", ")})`,
  };
}

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
    source: { type: "string", default: "shapes" },
    /** fashion-mnist only: pretrain on these classes, so the others stay an unseen task. */
    classes: { type: "string" },
    name: { type: "string" },
    out: { type: "string" },
    seed: { type: "string", default: "17" },
    count: { type: "string", default: "6000" },
    epochs: { type: "string", default: "12" },
  }, USAGE);
  const seed = Number(values.seed);
  const count = Number(values.count);
  const epochs = Number(values.epochs);
  const shape: [number, number, number] = [32, 32, 3];
  const name = values.name ?? (values.source === "fashion-mnist" ? "fashion-base" : "shapes-base");
  const outDir = values.out ?? `assignments/lesson-6/models/${name}`;
  const { tf, backend } = await loadTf();

  const { classes, train, test, about } = await sourceTask(values.source!, count, seed, shape, values.classes?.split(",").map((c) => c.trim()));
  const spec = parseSpec({
    kind: "cnn",
    name: `${name} pretraining`,
    layers: [...BASE_LAYERS, { type: "globalAveragePooling2d", name: "pretrain_gap" }, { type: "dense", name: "pretrain_out", units: classes.length, activation: "softmax" }],
    // Flips suit shapes (a flipped crescent is a crescent); photos of clothing keep their orientation.
    training: { optimizer: "adam", learningRate: 0.002, epochs, batchSize: 64, validationSplit: 0.1, augmentation: { horizontalFlip: values.source === "shapes" } },
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
    onProgress: (p) => { if (p.epochEnd) console.log(`[pretrain] epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(3)} acc ${p.acc.toFixed(3)} val acc ${p.valAcc?.toFixed(3)}`); },
  });
  if (result.stopReason === "diverged") throw new Error(result.divergence);
  const all = Int32Array.from({ length: test.count }, (_, i) => i);
  const metrics = computeMetrics(await predictProbabilities(tf, model, test, all), test.labels, classes, 2);
  console.log(`[pretrain] source-task test accuracy ${metrics.accuracy.toFixed(3)} (${test.count} images)`);

  const base = tf.model({ inputs: model.inputs, outputs: model.getLayer("base_pool3").output as SymbolicTensor, name });
  const out = path.resolve(outDir);
  await saveLayersModelToDir(tf, base, out);
  const summary = summarizeBase(base, {
    name,
    description: `Small CNN (3 conv blocks) pretrained by the project on ${about}, not the assignment's classes.`,
    modelPath: path.relative(process.cwd(), out),
    preprocessing: { scale: 1, offset: 0 },
    source: `npm run models:pretrain -- --source ${values.source}${values.classes ? ` --classes ${values.classes}` : ""} (seed ${seed}, ${train.count} images, ${epochs} epochs, ${backend}); source-task test accuracy ${metrics.accuracy.toFixed(3)}`,
  });
  await upsertBase(summary);
  console.log(`[pretrain] saved ${summary.name} to ${summary.modelPath}: ${summary.totalParams} params, output [${summary.outputShape.join(", ")}]`);
  model.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
