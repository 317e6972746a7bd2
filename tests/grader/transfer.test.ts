import { describe, expect, it } from "vitest";
import { loadTf } from "@/grader/backend/load-tf";
import { generateShapes, TARGET_SHAPES } from "@/grader/data/shapes";
import { gradeSubmission } from "@/grader/grade";
import { buildModel } from "@/grader/model/build-model";
import { SeededRandom } from "@/grader/random";
import { loadBase } from "@/grader/registry/load-base";
import { findBase } from "@/grader/registry/registered-bases";
import { analyzeSpec } from "@/grader/spec/analyze";
import { parseSpec, type TransferSpec } from "@/grader/spec/schema";
import { trainModel } from "@/grader/train/train-model";
import { transferPhases } from "@/grader/train/transfer-phases";
import { shapesAssignment32, tempDataDir } from "./builders";

const classes = [...TARGET_SHAPES];
const dataDir = tempDataDir();
/** Few labels: 10 images per class to learn from, 300 held-out images to measure on. */
const fewLabels = shapesAssignment32({ count: 50, seed: 101 }, { count: 300, seed: 102 });
const head = [{ type: "globalAveragePooling2d" }, { type: "dense", units: classes.length, activation: "softmax" }];

describe("the shipped pretrained base", () => {
  it("is registered with a summary the browser can use and was pretrained on other shapes than the assignment's", () => {
    const base = findBase("shapes-base")!;
    expect(base.inputShape).toEqual([32, 32, 3]);
    expect(base.outputShape).toEqual([4, 4, 64]);
    expect(base.layers.map((l) => l.name)).toEqual(["base_conv1", "base_pool1", "base_conv2", "base_pool2", "base_conv3", "base_pool3"]);
    expect(base.description).not.toMatch(/\b(circle|square|triangle|cross|star)\b/);
  });

  it("beats the same architecture trained from scratch when there are only 10 labelled images per class", async () => {
    const training = { epochs: 20, batchSize: 16, validationSplit: 0 };
    const transfer = parseSpec({ kind: "transfer", base: "shapes-base", head, training: { ...training, learningRate: 0.01 } });
    const scratchLayers = [
      { type: "conv2d", filters: 16, kernelSize: 3, padding: "same", activation: "relu" }, { type: "maxPooling2d" },
      { type: "conv2d", filters: 32, kernelSize: 3, padding: "same", activation: "relu" }, { type: "maxPooling2d" },
      { type: "conv2d", filters: 64, kernelSize: 3, padding: "same", activation: "relu" }, { type: "maxPooling2d" },
      ...head,
    ];
    const pretrained = await gradeSubmission({ assignment: fewLabels, submission: { kind: "transfer", spec: transfer }, seed: 1, dataDir });
    // From scratch gets two learning rates, so the comparison is not lost to one bad setting.
    const scratch = await Promise.all([0.01, 0.001].map(async (learningRate) => {
      const spec = parseSpec({ kind: "cnn", layers: scratchLayers, training: { ...training, learningRate } });
      return (await gradeSubmission({ assignment: fewLabels, submission: { kind: "cnn", spec }, seed: 1, dataDir })).metrics!.all;
    }));
    const best = Math.max(...scratch.map((m) => m.macro.f1));
    expect(pretrained.metrics!.all.macro.f1).toBeGreaterThan(best + 0.15);
  });
});

describe("two-phase transfer training", () => {
  it("trains the head with the base frozen, then fine-tunes only the last N base layers at the lower rate", async () => {
    const { tf } = await loadTf();
    const spec = parseSpec({
      kind: "transfer", base: "shapes-base", head,
      training: { epochs: 1, batchSize: 16, learningRate: 0.01, validationSplit: 0 },
      fineTune: { unfreezeLast: 2, epochs: 1, learningRate: 0.001 },
    }) as TransferSpec;
    const loaded = await loadBase(tf, "shapes-base");
    const { model, base } = buildModel(tf, spec, analyzeSpec(spec, fewLabels), new SeededRandom(1), loaded);
    const snapshot = (name: string): Float32Array => base!.getLayer(name).getWeights()[0]!.dataSync() as Float32Array;
    const before = { conv2: snapshot("base_conv2").slice(), conv3: snapshot("base_conv3").slice() };
    const data = generateShapes({ count: 32, seed: 5, classes, shape: [32, 32, 3] });
    const phases = transferPhases(spec, base!);
    const afterHead: { conv3?: Float32Array } = {};
    const result = await trainModel({
      tf, model, data, trainIndices: Int32Array.from({ length: 32 }, (_, i) => i), valIndices: new Int32Array(0),
      training: spec.training,
      phases: [phases[0]!, { ...phases[1]!, prepare: () => { afterHead.conv3 = snapshot("base_conv3").slice(); phases[1]!.prepare!(); } }],
      classWeights: classes.map(() => 1), rng: new SeededRandom(2), deadline: Number.POSITIVE_INFINITY,
    });
    expect(result.curves.map((c) => [c.phase, c.learningRate])).toEqual([["head", 0.01], ["fineTune", 0.001]]);
    // Head phase: the base did not move.
    expect(afterHead.conv3).toEqual(before.conv3);
    // Fine-tune phase with unfreezeLast 2 (base_conv3 and base_pool3): conv3 moved, conv2 stayed frozen.
    expect(snapshot("base_conv3")).not.toEqual(before.conv3);
    expect(snapshot("base_conv2")).toEqual(before.conv2);
    model.dispose();
  });

  it("grades a two-phase transfer spec end to end, both phases in the curves, and frees the base with the model", async () => {
    const { tf } = await loadTf();
    const before = tf.memory().numTensors;
    const spec = parseSpec({
      kind: "transfer", base: "shapes-base", head,
      training: { epochs: 1, batchSize: 25, learningRate: 0.01, validationSplit: 0.2 },
      fineTune: { unfreezeLast: 2, epochs: 1, learningRate: 0.001 },
    });
    const report = await gradeSubmission({ assignment: fewLabels, submission: { kind: "transfer", spec }, seed: 3, dataDir });
    expect(report.status).toBe("succeeded");
    expect(report.submission.base).toBe("shapes-base");
    expect(report.training.curves.map((c) => c.phase)).toEqual(["head", "fineTune"]);
    expect(report.model.layers[0]!.name).toBe("base_conv1");
    expect(tf.memory().numTensors).toBe(before);
  });
});
