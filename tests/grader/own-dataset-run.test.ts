import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignmentSchema } from "@/grader/assignment/schema";
import { ownDatasetConfig, type OwnDatasetForRun } from "@/grader/assignment/own-dataset-config";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { classCounts } from "@/grader/data/image-dataset";
import { loadDataset } from "@/grader/data/load-dataset";
import { inspectOwnDataset } from "@/grader/data/own-dataset-quality";
import { PART } from "@/grader/data/own-dataset-split";
import { generateShapes } from "@/grader/data/shapes";
import { gradeSubmission } from "@/grader/grade";
import { checkSpecForAssignment } from "@/grader/spec/check-spec";
import { withLocalDatasets } from "@/grader/storage/local-datasets";
import { LocalBlobStore, newBlobKey } from "@/lib/blobs/blob-store";
import { tinyAssignment, tinyCnn } from "./builders";

/**
 * A run on a student's own dataset trains on the stored split's train part, validates on its validation part and is
 * scored on its test part: a tiny generated image-folder zip (three shapes the assignment does not have, at 24 px)
 * goes through the same config function, blob resolution,
 * loader and gradeSubmission as the worker uses.
 */
let dir: string;
let store: LocalBlobStore;
let row: OwnDatasetForRun;
let testCounts: number[];
let trainCount: number;
let validationCount: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-own-run-"));
  store = new LocalBlobStore(path.join(dir, "blobs"));
  const shapes = generateShapes({ count: 150, seed: 41, classes: ["ring", "hexagon", "bar"], shape: [24, 24, 3] });
  const zip = path.join(dir, "mine.zip");
  await exportImageFolderZip({ ...shapes }, { perClass: 50, seed: 3 }, zip);
  const key = newBlobKey("datasets", "data.zip");
  await store.put(key, { file: zip });
  const inspected = await inspectOwnDataset(await store.localPath(key), [24, 24, 3], { seed: 9 });
  const parts = inspected.split.parts;
  const count = (p: number) => parts.filter((q) => q === p).length;
  trainCount = count(PART.train);
  validationCount = count(PART.validation);
  testCounts = inspected.dataset.classes.map((_, k) => parts.filter((q, i) => q === PART.test && inspected.dataset.labels[i] === k).length);
  row = {
    id: "00000000-0000-4000-8000-000000000001", name: "mine.zip", blobKey: key, inputSize: 24, channels: 3,
    classes: inspected.dataset.classes, split: inspected.split,
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("ownDatasetConfig", () => {
  it("takes the dataset's classes, size and parts, keeps the assignment's budget, and has no hidden half", () => {
    const assignment = tinyAssignment();
    const config = ownDatasetConfig(assignment, row);
    expect(config.classes).toEqual(["bar", "hexagon", "ring"]);
    expect(config.inputShape).toEqual([24, 24, 3]);
    expect(config.budget).toEqual(assignment.budget);
    expect(config.publicFraction).toBe(1);
    // The child process parses the config again: it must still be a valid assignment.
    expect(() => assignmentSchema.parse(config)).not.toThrow();
    // The spec check asks for the dataset's three classes and its 24 px input.
    const fiveWay = checkSpecForAssignment(tinyCnn({}, [{ type: "flatten" }, { type: "dense", units: 5, activation: "softmax" }]), config);
    expect([...fiveWay.issues, ...fiveWay.violations].map((i) => i.message).join(" ")).toMatch(/3/);
    const fits = checkSpecForAssignment(tinyCnn(), config);
    expect([...fits.issues, ...fits.violations]).toEqual([]);
  });

  it("refuses a row whose split was decoded at another size", () => {
    expect(() => ownDatasetConfig(tinyAssignment(), { ...row, inputSize: 32 })).toThrow(/decoded at 24×24×3/);
  });
});

describe("a run on an own dataset", () => {
  it("loads the train part with the stored validation part, and the test part for scoring", async () => {
    const config = await withLocalDatasets(ownDatasetConfig(tinyAssignment(), row), store);
    const sets = config.datasets as { train: Parameters<typeof loadDataset>[0]; heldout: Parameters<typeof loadDataset>[0] };
    const train = await loadDataset(sets.train, config, path.join(dir, "data"));
    expect(train.dataset.count).toBe(trainCount + validationCount);
    expect(train.validation?.length).toBe(validationCount);
    const test = await loadDataset(sets.heldout, config, path.join(dir, "data"));
    expect(classCounts(test.dataset)).toEqual(testCounts);
    // Second read comes from the decoded cache.
    expect((await loadDataset(sets.heldout, config, path.join(dir, "data"))).cacheHit).toBe(true);
  });

  it("trains on the train part and reports metrics on exactly the stored test part", async () => {
    const config = await withLocalDatasets(ownDatasetConfig(tinyAssignment(), row), store);
    const report = await gradeSubmission({
      assignment: config, submission: { kind: "cnn", spec: tinyCnn({ epochs: 2 }) }, seed: 5, dataDir: path.join(dir, "data"),
    });
    expect(report.status).toBe("succeeded");
    expect(report.training.trainExamples).toBe(trainCount);
    expect(report.training.validationExamples).toBe(validationCount);
    expect(report.metrics!.all.count).toBe(testCounts.reduce((a, b) => a + b, 0));
    expect(report.metrics!.all.perClass.map((c) => c.support)).toEqual(testCounts);
    expect(report.metrics!.all.confusionMatrix.map((r) => r.reduce((a, b) => a + b, 0))).toEqual(testCounts);
    // No public/private halves on a student's own data.
    expect(report.metrics!.public).toEqual(report.metrics!.all);
    expect(report.metrics!.private).toEqual(report.metrics!.all);
    expect(report.assignment.classes).toEqual(["bar", "hexagon", "ring"]);
    expect(report.training.curves.every((c) => c.valLoss !== null)).toBe(true);
  }, 120_000);
});
