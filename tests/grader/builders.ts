import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { assignmentSchema } from "@/grader/assignment/schema";
import { parseSpec, type Spec } from "@/grader/spec/schema";

/** A small, fast assignment: 16×16 colour shapes, 3 classes, a few hundred images. */
export function tinyAssignment(overrides: Partial<AssignmentConfig> = {}): AssignmentConfig {
  const base = assignmentSchema.parse({
    slug: "tiny",
    number: 6,
    title: "Tiny",
    brief: "Test assignment.",
    dueAt: "2030-01-01T00:00:00Z",
    classes: ["circle", "square", "cross"],
    inputShape: [16, 16, 3],
    datasets: {
      train: { builtin: "shapes", count: 240, seed: 11, classes: ["circle", "square", "cross"] },
      heldout: { builtin: "shapes", count: 120, seed: 12, classes: ["circle", "square", "cross"] },
    },
    budget: { maxParams: 100_000, maxFlopsPerImage: 10_000_000, maxEpochs: 10, maxInputSize: 32, wallClockSeconds: 120 },
    score: { kind: "linear", metric: "macroF1", baseline: 0.34, target: 0.9 },
    limits: { dailySubmissions: 5, maxQueuedPerStudent: 2, dailyRejectedSubmissions: 30 },
    publicFraction: 0.5,
    splitSeed: 3,
    referenceSpecs: ["specs/none.yaml"],
    rubric: { criteria: [{ id: "x", title: "X", description: "X", maxPoints: 1 }] },
    gradebook: { weights: { quiz: 0.2, assignment: 0.5, report: 0.3 } },
  });
  return { ...base, ...overrides };
}

/** A tiny CNN spec for the tiny assignment; `training` overrides merge into the defaults. */
export function tinyCnn(training: Record<string, unknown> = {}, layers?: unknown[]): Spec {
  return parseSpec({
    kind: "cnn",
    name: "tiny",
    layers: layers ?? [
      { type: "conv2d", filters: 8, kernelSize: 3, activation: "relu" },
      { type: "maxPooling2d", poolSize: 2 },
      { type: "flatten" },
      { type: "dense", units: 3, activation: "softmax" },
    ],
    training: { epochs: 2, batchSize: 32, learningRate: 0.01, ...training },
  });
}

/** A fresh data directory (dataset cache) per test file. */
export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), "tg-grader-"));
}
