import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTf } from "@/grader/backend/load-tf";
import { GradingAbortedError, SpecOverBudgetError, SpecValidationError } from "@/grader/errors";
import { gradeSubmission } from "@/grader/grade";
import type { GradingProgress } from "@/grader/contracts/grading-progress";
import { gradingReportSchema } from "@/grader/report/schema";
import { parseSpec } from "@/grader/spec/schema";
import { shapes32, tempDataDir, tinyAssignment, tinyCnn } from "./builders";

const dataDir = tempDataDir();
const assignment = tinyAssignment();

describe("gradeSubmission on a spec", () => {
  it("trains, evaluates the held-out set and returns a report that matches the shared schema", async () => {
    const progress: GradingProgress[] = [];
    const report = await gradeSubmission(
      { assignment, submission: { kind: "cnn", spec: tinyCnn() }, seed: 7, dataDir },
      { onProgress: (p) => progress.push(p) },
    );
    expect(() => gradingReportSchema.parse(report)).not.toThrow();
    expect(report.status).toBe("succeeded");
    expect(report.backend).toBe("wasm");
    expect(report.training.epochsRun).toBe(2);
    expect(report.training.curves.every((c) => Number.isFinite(c.loss) && c.valLoss !== null)).toBe(true);
    const m = report.metrics!;
    expect(m.all.count).toBe(120);
    expect(m.public.count + m.private.count).toBe(120);
    expect(m.all.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(120);
    expect(report.score!.all.formula).toContain("macroF1");
    // Progress: loading first, then training batches with epoch ends (all batches done, validation figures), then evaluating.
    expect(progress[0]!.phase).toBe("loading");
    expect(progress.some((p) => p.phase === "training" && p.epochEnd && p.batch === p.batches && p.valAcc !== undefined)).toBe(true);
    expect(progress.filter((p) => p.phase === "training" && p.batch === 0)).toEqual([]);
    expect(progress[progress.length - 1]!.phase).toBe("evaluating");
  });

  it("trains an imported Keras 2 Functional topology with the layer names the student gave it", async () => {
    const classes = ["circle", "square", "triangle", "cross", "star"];
    const fiveWay = tinyAssignment(shapes32(classes, { count: 60, seed: 21 }, { count: 40, seed: 22 }));
    const model = readFileSync(path.join(import.meta.dirname, "fixtures", "keras2-functional.json"), "utf8");
    const spec = parseSpec({ kind: "keras", model, training: { epochs: 1, batchSize: 20 } });
    const report = await gradeSubmission({ assignment: fiveWay, submission: { kind: "keras", spec }, seed: 1, dataDir });
    expect(report.status).toBe("succeeded");
    expect(report.submission.kind).toBe("keras");
    expect(report.model.layers.map((l) => l.name)).toEqual([
      "rescaling", "separable_conv2d", "batch_normalization", "re_lu", "global_average_pooling2d", "dropout", "predictions",
    ]);
    expect(report.metrics!.all.count).toBe(40);
  });

  it("never puts a held-out example's label or prediction in the report", async () => {
    const report = await gradeSubmission({ assignment, submission: { kind: "cnn", spec: tinyCnn({ epochs: 1 }) }, seed: 1, dataDir });
    // Per-example data would need arrays as long as the split; the longest array allowed is a 101-point ROC curve.
    const longest = (v: unknown): number => Array.isArray(v) ? Math.max(v.length, ...v.map(longest))
      : v && typeof v === "object" ? Math.max(0, ...Object.values(v).map(longest)) : 0;
    expect(longest(report)).toBeLessThanOrEqual(101);
    expect(report.metrics!.all.roc.every((r) => r.points.length <= 101)).toBe(true);
  });

  it("gives identical metrics for the same seed and different ones for another seed", async () => {
    const spec = tinyCnn({ augmentation: { horizontalFlip: true, rotationRange: 10, brightnessRange: 0.1 } }, [
      { type: "conv2d", filters: 8, kernelSize: 3, activation: "relu" },
      { type: "maxPooling2d" },
      { type: "flatten" },
      { type: "dropout", rate: 0.3 },
      { type: "dense", units: 3, activation: "softmax" },
    ]);
    const run = (seed: number) => gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed, dataDir });
    const [a, b, c] = [await run(42), await run(42), await run(43)];
    expect(b.metrics).toEqual(a.metrics);
    expect(b.training.curves.map((x) => [x.loss, x.valLoss])).toEqual(a.training.curves.map((x) => [x.loss, x.valLoss]));
    expect(c.training.curves[0]!.loss).not.toBe(a.training.curves[0]!.loss);
  });

  it("frees every tensor: after several jobs tf.memory().numTensors is back at its starting value", async () => {
    const { tf } = await loadTf();
    // Warm up once so lazily created engine state (kernels, backend scratch) is not counted as a leak.
    await gradeSubmission({ assignment, submission: { kind: "cnn", spec: tinyCnn({ epochs: 1 }) }, seed: 1, dataDir });
    const before = tf.memory().numTensors;
    const specs = [
      tinyCnn({ epochs: 1, optimizer: "momentum", augmentation: { verticalFlip: true, zoomRange: 0.2, widthShiftRange: 0.1 } }),
      tinyCnn({ epochs: 2, optimizer: "rmsprop", classWeights: "balanced", earlyStopping: { patience: 0 } }, [
        { type: "separableConv2d", filters: 8, kernelSize: 3, padding: "same" },
        { type: "batchNormalization" },
        { type: "activation", activation: "relu" },
        { type: "depthwiseConv2d", kernelSize: 3 },
        { type: "globalAveragePooling2d" },
        { type: "dropout", rate: 0.2 },
        { type: "dense", units: 3, activation: "softmax" },
      ]),
      tinyCnn({ epochs: 1, optimizer: "sgd" }),
    ];
    for (const [i, spec] of specs.entries()) {
      const r = await gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed: i, dataDir });
      expect(r.status).toBe("succeeded");
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reports a diverged model instead of crashing, with score 0 and a message saying what to change", async () => {
    // Pixels scaled by 3e38 overflow float32 in the first dense layer: the logits become infinite and the loss NaN.
    // (Cross-entropy on clipped probabilities cannot blow up through the learning rate alone: the clip stops the
    // gradient, as in Keras.)
    const spec = tinyCnn({ optimizer: "sgd", epochs: 3 }, [
      { type: "rescaling", scale: 3e38 },
      { type: "flatten" },
      { type: "dense", units: 3, activation: "softmax" },
    ]);
    const report = await gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed: 3, dataDir });
    expect(report.status).toBe("diverged");
    expect(report.training.stopReason).toBe("diverged");
    expect(report.message).toMatch(/NaN.*diverged.*Lower the learning rate/);
    expect(report.metrics).toBeNull();
    expect(report.score!.all.score).toBe(0);
    expect(() => gradingReportSchema.parse(report)).not.toThrow();
  });

  it("stops early when the validation loss stops improving by min_delta", async () => {
    // minDelta 1 can never be met after the first epoch, so patience 0 stops after epoch 2.
    const spec = tinyCnn({ epochs: 8, earlyStopping: { monitor: "valLoss", patience: 0, minDelta: 1 } });
    const report = await gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed: 1, dataDir });
    expect(report.training.stopReason).toBe("earlyStopping");
    expect(report.training.epochsRun).toBe(2);
    expect(report.message).toMatch(/stopped early/);
  });

  it("stops at the wall-clock limit and still evaluates the model as it is", async () => {
    const quick = tinyAssignment({ budget: { ...assignment.budget, wallClockSeconds: 0.001 } });
    const report = await gradeSubmission({ assignment: quick, submission: { kind: "cnn", spec: tinyCnn() }, seed: 1, dataDir });
    expect(report.training.stopReason).toBe("wallClock");
    expect(report.message).toMatch(/wall-clock limit/);
    expect(report.metrics!.all.count).toBe(120);
  });

  it("rejects a spec over budget before loading any data or training", async () => {
    const progress: GradingProgress[] = [];
    const spec = tinyCnn({ epochs: 50 });
    await expect(gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed: 1, dataDir }, { onProgress: (p) => progress.push(p) }))
      .rejects.toThrow(SpecOverBudgetError);
    expect(progress).toEqual([]);
  });

  it("rejects explicit class weights that name a class the assignment does not have", async () => {
    const spec = tinyCnn({ classWeights: { circle: 2, hexagon: 3 } });
    await expect(gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed: 1, dataDir }))
      .rejects.toThrow(SpecValidationError);
  });

  it("stops with GradingAbortedError when its signal is aborted", async () => {
    const controller = new AbortController();
    const job = gradeSubmission(
      { assignment, submission: { kind: "cnn", spec: tinyCnn({ epochs: 5 }) }, seed: 1, dataDir },
      { signal: controller.signal, onProgress: (p) => { if (p.phase === "training") controller.abort(); } },
    );
    await expect(job).rejects.toThrow(GradingAbortedError);
  });
});
