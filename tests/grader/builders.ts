import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { assignmentSchema } from "@/grader/assignment/schema";
import { TARGET_SHAPES } from "@/grader/data/shapes";
import { parseSpec, type Spec } from "@/grader/spec/schema";
import { smallCnnLayers } from "../helpers/small-cnn";
import { TEST_ASSIGNMENT_BASICS, TEST_GRADEBOOK_WEIGHTS } from "../helpers/test-assignment";

/** A small, fast assignment: 16×16 colour shapes, 3 classes, a few hundred images. */
export function tinyAssignment(overrides: Partial<AssignmentConfig> = {}): AssignmentConfig {
  const base = assignmentSchema.parse({
    ...TEST_ASSIGNMENT_BASICS,
    slug: "tiny",
    title: "Tiny",
    brief: "Test assignment.",
    classes: ["circle", "square", "cross"],
    datasets: {
      train: { builtin: "shapes", count: 240, seed: 11, classes: ["circle", "square", "cross"] },
      heldout: { builtin: "shapes", count: 120, seed: 12, classes: ["circle", "square", "cross"] },
    },
    budget: { maxParams: 100_000, maxFlopsPerImage: 10_000_000, maxEpochs: 10, maxInputSize: 32, wallClockSeconds: 120 },
    score: { kind: "linear", metric: "macroF1", baseline: 0.34, target: 0.9 },
    splitSeed: 3,
    referenceSpecs: ["specs/none.yaml"],
    rubric: { criteria: [{ id: "x", title: "X", description: "X", maxPoints: 1 }] },
    gradebook: { weights: TEST_GRADEBOOK_WEIGHTS },
  });
  return { ...base, ...overrides };
}

/** Balanced 32×32 colour shapes of `classes` for training and held-out sets of the given sizes and seeds (tinyAssignment overrides). */
export function shapes32(classes: string[], train: { count: number; seed: number }, heldout: { count: number; seed: number }): Partial<AssignmentConfig> {
  return {
    classes,
    inputShape: [32, 32, 3],
    datasets: {
      train: { builtin: "shapes", ...train, classes, imbalance: 1 },
      heldout: { builtin: "shapes", ...heldout, classes, imbalance: 1 },
    },
  };
}

/**
 * The five target shapes at the lesson's 32×32 input, with room in the budget for a pretrained base and fine-tuning;
 * training and held-out sets of the given sizes and seeds.
 */
export function shapesAssignment32(train: { count: number; seed: number }, heldout: { count: number; seed: number }): AssignmentConfig {
  return tinyAssignment({
    ...shapes32([...TARGET_SHAPES], train, heldout),
    budget: { maxParams: 100_000, maxFlopsPerImage: 100_000_000, maxEpochs: 40, maxInputSize: 32, wallClockSeconds: 300, maxBatchSize: 256 },
    score: { kind: "linear", metric: "macroF1", baseline: 0.2, target: 0.9 },
  });
}

/** A tiny CNN spec for the tiny assignment; `training` overrides merge into the defaults. */
export function tinyCnn(training: Record<string, unknown> = {}, layers?: unknown[]): Spec {
  return parseSpec({
    kind: "cnn",
    name: "tiny",
    layers: layers ?? smallCnnLayers(3, 8),
    training: { epochs: 2, batchSize: 32, learningRate: 0.01, ...training },
  });
}

/** A fresh data directory (dataset cache) per test file. */
export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), "tg-grader-"));
}
