import { instructorDatasets } from "@/grader/assignment/schema";
import { describe, expect, it } from "vitest";
import { loadTf } from "@/grader/backend/load-tf";
import { TARGET_SHAPES } from "@/grader/data/shapes";
import { gradeSubmission, type GradingReport } from "@/grader/grade";
import { buildModel } from "@/grader/model/build-model";
import { SeededRandom } from "@/grader/random";
import { loadBase } from "@/grader/registry/load-base";
import { analyzeSpec } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";
import { augmentationSchema } from "@/grader/spec/training";
import { planFeatureCache } from "@/grader/train/feature-cache";
import { shapesAssignment32, tempDataDir } from "./builders";

const classes = [...TARGET_SHAPES];
const dataDir = tempDataDir();
const assignment = shapesAssignment32({ count: 120, seed: 201 }, { count: 100, seed: 202 });

/** The lesson's recipe in small: a head with dropout, a horizontal flip, a validation split, then fine-tuning. */
const spec = (augmentation: Record<string, unknown>) => parseSpec({
  kind: "transfer", base: "shapes-base",
  head: [
    { type: "globalAveragePooling2d" }, { type: "dense", units: 16, activation: "relu" }, { type: "dropout", rate: 0.3 },
    { type: "dense", units: classes.length, activation: "softmax" },
  ],
  training: { epochs: 3, batchSize: 16, learningRate: 0.01, validationSplit: 0.2, classWeights: "balanced", augmentation },
  fineTune: { unfreezeLast: 2, epochs: 1, learningRate: 0.001 },
});

const grade = (augmentation: Record<string, unknown>, featureCache: boolean): Promise<GradingReport> =>
  gradeSubmission({ assignment, submission: { kind: "transfer", spec: spec(augmentation) }, seed: 7, dataDir, featureCache });

/** What a student reads off the report: the curves per epoch and the held-out metrics. */
function outcome(r: GradingReport) {
  return {
    curves: r.training.curves.map((c) => [c.phase, c.loss, c.acc, c.valLoss, c.valAcc]),
    accuracy: r.metrics!.all.accuracy, macroF1: r.metrics!.all.macro.f1, logLoss: r.metrics!.all.logLoss, score: r.score!.all.score,
  };
}

function expectSameOutcome(a: GradingReport, b: GradingReport): void {
  const x = outcome(a);
  const y = outcome(b);
  expect(x.curves.map((c) => c[0])).toEqual(y.curves.map((c) => c[0]));
  x.curves.forEach((row, i) => row.slice(1).forEach((v, j) => expect(v as number).toBeCloseTo(y.curves[i]![j + 1] as number, 5)));
  expect(x.accuracy).toBe(y.accuracy);
  expect(x.macroF1).toBeCloseTo(y.macroF1, 6);
  expect(x.logLoss).toBeCloseTo(y.logLoss, 5);
  expect(x.score).toBeCloseTo(y.score, 4);
}

describe("frozen-base feature caching", () => {
  it("gives the same curves and held-out metrics as running the base every step, and the report says it was used", async () => {
    const cached = await grade({ horizontalFlip: true }, true);
    const uncached = await grade({ horizontalFlip: true }, false);
    expect(cached.training.featureCache).toMatchObject({ used: true, images: 120, variants: 2 });
    expect(cached.training.featureCache!.note).toMatch(/features of all 120 training images \(2 versions of each.*\), computed in/);
    expect(uncached.training.featureCache).toMatchObject({ used: false });
    expect(uncached.training.featureCache!.note).toMatch(/ran at every step.*turned off/);
    expectSameOutcome(cached, uncached);
  });

  it("reads the features a previous job stored, with the same outcome, and computes new ones for other images", async () => {
    const first = await grade({ horizontalFlip: true }, true);
    const again = await grade({ horizontalFlip: true }, true);
    expect(again.training.featureCache!.note).toMatch(/read from the feature cache/);
    expectSameOutcome(first, again);
    // The same data folder, a training set of other images: the stored features are not theirs.
    const otherImages = { ...assignment, datasets: { ...instructorDatasets(assignment), train: { ...instructorDatasets(assignment).train, seed: 203 } } };
    const other = await gradeSubmission({ assignment: otherImages, submission: { kind: "transfer", spec: spec({ horizontalFlip: true }) }, seed: 7, dataDir });
    expect(other.training.featureCache!.note).toMatch(/computed in/);
  });

  it("matches the uncached run without augmentation, and skips caching when four flip versions cost more than three epochs", async () => {
    const both = await grade({ horizontalFlip: true, verticalFlip: true }, true);
    expect(both.training.featureCache).toMatchObject({ used: false });
    expect(both.training.featureCache!.note).toMatch(/4 flip variants per image and 3 epoch\(s\), caching would not save/);
    const none = await grade({}, true);
    expect(none.training.featureCache).toMatchObject({ used: true, variants: 1 });
    expectSameOutcome(none, await grade({}, false));
  });

  it("leaves the base running when the augmentation draws new pixels, or when the base normalises per batch", async () => {
    const { tf } = await loadTf();
    const s = spec({ rotationRange: 10 });
    const loaded = await loadBase(tf, "shapes-base");
    const { model, base } = buildModel(tf, s, analyzeSpec(s, assignment), new SeededRandom(1), loaded);
    try {
      const rotate = planFeatureCache(model, base!, augmentationSchema.parse({ rotationRange: 10 }), 3, 120);
      expect(rotate).toEqual({ reason: expect.stringMatching(/changes pixels at every step/) });
      expect(planFeatureCache(model, base!, augmentationSchema.parse({}), 3, 120)).toHaveProperty("plan");
      base!.trainable = true;
      expect(planFeatureCache(model, base!, augmentationSchema.parse({}), 3, 120)).toEqual({ reason: "the base is not frozen" });
    } finally {
      model.dispose();
    }
    const input = tf.input({ shape: [8, 8, 3] });
    const bnBase = tf.model({ inputs: input, outputs: tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(input)) as import("@tensorflow/tfjs").SymbolicTensor });
    bnBase.trainable = false;
    const outer = tf.input({ shape: [8, 8, 3] });
    const withBn = tf.model({ inputs: outer, outputs: tf.layers.dense({ units: 2, activation: "softmax" }).apply(tf.layers.flatten().apply(bnBase.apply(outer))) as import("@tensorflow/tfjs").SymbolicTensor });
    expect(planFeatureCache(withBn, bnBase, augmentationSchema.parse({}), 3, 120)).toEqual({ reason: expect.stringMatching(/BatchNormalization layers behave differently in training/) });
    withBn.dispose();
  });
});
