import { readFileSync } from "node:fs";
import path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs";
import type { Tf } from "@/grader/backend/load-tf";
import { buildLayer } from "@/grader/model/build-layer";
import type { SeededRandom } from "@/grader/random";
import { baseDir } from "@/grader/registry/load-base";
import { findBase } from "@/grader/registry/registered-bases";
import { layerNames } from "@/grader/spec/analyze";
import { kerasToLayers } from "@/grader/spec/keras-import";
import { parseSpec, type Layer } from "@/grader/spec/schema";

/**
 * The networks the training benchmarks measure, built from Assignment 6's reference specs so the figures describe
 * what the grader trains. Shared by bench/compare-torch.ts and bench/profile-train-step.ts.
 */

const SPECS = path.resolve(import.meta.dirname, "../assignments/lesson-6/specs");
export const INPUT_SHAPE: [number, number, number] = [32, 32, 3];
export const SEED = 1;

export interface TrainCase {
  name: "simple" | "transfer";
  title: string;
  /** The whole network as spec layers, so PyTorch can build the same one. */
  layers: Layer[];
  /** Leading layers that form a frozen base (forward only). */
  frozen: number;
  batchSize: number;
  learningRate: number;
}

/**
 * `simple`: the reference spec simple-cnn.yaml (the syllabus's simple CNN). `transfer`: phase one of transfer.yaml,
 * its head on the registered base, frozen. The base's architecture comes from its model.json (Keras topology → spec
 * layers); its weights do not change the speed and are not loaded.
 */
export function loadTrainCases(): TrainCase[] {
  const simple = parseSpec(readFileSync(path.join(SPECS, "simple-cnn.yaml"), "utf8"));
  const transfer = parseSpec(readFileSync(path.join(SPECS, "transfer.yaml"), "utf8"));
  if (simple.kind !== "cnn" || transfer.kind !== "transfer") throw new Error("unexpected reference spec kinds");
  const summary = findBase(transfer.base);
  if (!summary) throw new Error(`the transfer reference spec's base ${transfer.base} is not registered`);
  const topology = (JSON.parse(readFileSync(path.join(baseDir(summary), "model.json"), "utf8")) as { modelTopology: unknown }).modelTopology;
  const baseLayers = kerasToLayers(topology, "base").layers;
  return [
    {
      name: "simple", title: "simple CNN (specs/simple-cnn.yaml)", layers: simple.layers, frozen: 0,
      batchSize: simple.training.batchSize, learningRate: simple.training.learningRate,
    },
    {
      name: "transfer", title: `transfer recipe, phase one: specs/transfer.yaml head on ${transfer.base}, frozen`,
      layers: [...baseLayers, ...transfer.head], frozen: baseLayers.length,
      batchSize: transfer.training.batchSize, learningRate: transfer.training.learningRate,
    },
  ];
}

/** Number of classes: the units of the last (softmax) layer. */
export function caseClasses(c: TrainCase): number {
  const last = c.layers.at(-1);
  if (last?.type !== "dense") throw new Error(`${c.name}: the last layer must be dense`);
  return last.units;
}

/** The case's TF.js model through the grader's own layer factory, with the frozen base not trainable. */
export function buildCaseModel(tf: Tf, c: TrainCase, rng: SeededRandom): LayersModel {
  const names = layerNames(c.layers);
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: INPUT_SHAPE }));
  c.layers.forEach((layer, i) => {
    const built = buildLayer(tf, layer, names[i]!, rng);
    if (i < c.frozen) built.trainable = false;
    model.add(built);
  });
  return model;
}
