import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownDataGradedReport, visibleReport } from "@/domain/grading/visible-report";
import { ownDataRunReport } from "@/domain/practice-runs/own-data-report";
import { runViewOf } from "@/domain/runs/run-view";
import { ownDatasetConfig, type OwnDatasetForRun } from "@/grader/assignment/own-dataset-config";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { decodeImageFolderZip } from "@/grader/data/image-folder-zip";
import { inspectOwnDataset } from "@/grader/data/own-dataset-quality";
import { PART } from "@/grader/data/own-dataset-split";
import { generateShapes } from "@/grader/data/shapes";
import { loadTf } from "@/grader/backend/load-tf";
import { gradeSubmission, HAD_TEST_IMAGES } from "@/grader/grade";
import { saveLayersModelToDir } from "@/grader/model/layers-model-io";
import type { GradingReport } from "@/grader/report/schema";
import { withLocalDatasets } from "@/grader/storage/local-datasets";
import { newBlobKey } from "@/lib/blobs/blob-key";
import { LocalBlobStore } from "@/lib/blobs/blob-store";
import { tinyAssignment, tinyCnn } from "./builders";

/**
 * The test part of a student's dataset is never exposed per example: a real graded run on a generated own dataset
 * is walked, as stored (the report document) and as each page and route that shows a report to a student gets it
 * (the submission page's visibleReport and ownDataRunReport, the comparison's and the written report's runViewOf).
 * Nothing may hold one value per test image (a prediction, a label, a probability) or a test image's file name.
 */

/** Paths in `value` of per-example data: arrays of plain values with one entry per test image, or a test file's name. */
export function perExampleLeaks(value: unknown, testCount: number, testNames: string[], at = "$"): string[] {
  if (typeof value === "string") return testNames.some((n) => value.includes(n)) ? [`${at}: names a test image`] : [];
  if (Array.isArray(value)) {
    const flat = value.every((v) => typeof v === "number" || typeof v === "string" || typeof v === "boolean");
    const own = flat && value.length === testCount ? [`${at}: ${value.length} values, one per test image`] : [];
    return [...own, ...value.flatMap((v, i) => perExampleLeaks(v, testCount, testNames, `${at}[${i}]`))];
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => perExampleLeaks(v, testCount, testNames, `${at}.${k}`));
  }
  return [];
}

let dir: string;
let report: GradingReport;
/** An uploaded (evaluate mode) model scored on the same own dataset. */
let evaluated: GradingReport;
let testCount: number;
let testNames: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-test-split-"));
  const store = new LocalBlobStore(path.join(dir, "blobs"));
  const shapes = generateShapes({ count: 180, seed: 77, classes: ["ring", "hexagon", "bar"], shape: [16, 16, 3] });
  const zip = path.join(dir, "mine.zip");
  await exportImageFolderZip({ ...shapes }, { perClass: 60, seed: 4 }, zip);
  const key = newBlobKey("datasets", "data.zip");
  await store.put(key, { file: zip });
  const inspected = await inspectOwnDataset(await store.localPath(key), [16, 16, 3], { seed: 21 });
  const { files } = await decodeImageFolderZip(await store.localPath(key), [16, 16, 3], inspected.split.limits);
  testNames = files.filter((_, i) => inspected.split.parts[i] === PART.test).map((f) => path.basename(f));
  testCount = testNames.length;
  const row: OwnDatasetForRun = {
    id: "00000000-0000-4000-8000-000000000007", name: "mine.zip", blobKey: key, inputSize: 16, channels: 3,
    classes: inspected.dataset.classes, split: inspected.split,
  };
  const config = await withLocalDatasets(ownDatasetConfig(tinyAssignment(), row), store);
  report = await gradeSubmission({ assignment: config, submission: { kind: "cnn", spec: tinyCnn({ epochs: 2 }) }, seed: 3, dataDir: path.join(dir, "data") });
  const { tf } = await loadTf();
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const modelDir = path.join(dir, "model");
  await saveLayersModelToDir(tf, model, modelDir);
  model.dispose();
  evaluated = await gradeSubmission({ assignment: config, submission: { kind: "model", modelDir }, seed: 3, dataDir: path.join(dir, "data") });
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the test part of a student's own dataset is never exposed per example", () => {
  it("grades on a test part large enough to tell per-example arrays from per-class ones", () => {
    expect(report.status).toBe("succeeded");
    expect(report.metrics!.all.count).toBe(testCount);
    expect(testCount).toBeGreaterThan(20);
    expect(testNames.every((n) => /\.png$/.test(n))).toBe(true);
  });

  it("finds per-example data when it is there (the check can fail)", () => {
    const leaky = { ...report, predictions: Array.from({ length: testCount }, () => 0) };
    expect(perExampleLeaks(leaky, testCount, testNames)).toEqual([`$.predictions: ${testCount} values, one per test image`]);
    expect(perExampleLeaks({ message: `hard: ${testNames[0]}` }, testCount, testNames)).toHaveLength(1);
  });

  it("holds none in the stored report document, trained or uploaded", () => {
    expect(perExampleLeaks(report, testCount, testNames)).toEqual([]);
    expect(perExampleLeaks(evaluated, testCount, testNames)).toEqual([]);
  });

  it("says plainly in an uploaded model's report that its owner had the test images", () => {
    expect(evaluated.metrics!.all.count).toBe(testCount);
    expect(evaluated.message).toBe(HAD_TEST_IMAGES);
    expect(evaluated.message).toMatch(/they had the test images while training it/);
    // A model the grader trained itself on the train part says nothing of the kind.
    expect(report.message ?? "").not.toMatch(/test images/);
  });

  it("holds none in what the submission page, the comparison and the written report's embeds show a student", () => {
    const submission = {
      id: "00000000-0000-4000-8000-000000000008", kind: "cnn" as const, spec: { name: "mine" }, purpose: "graded" as const,
      studentDatasetId: "00000000-0000-4000-8000-000000000007", assignmentId: "a", createdAt: new Date(),
    };
    for (const shown of [
      visibleReport(report, { isInstructor: false, pastDeadline: false }),
      visibleReport(report, { isInstructor: false, pastDeadline: true }),
      ownDataRunReport(report),
      ownDataGradedReport(report),
      ownDataGradedReport(evaluated),
      runViewOf(submission, { name: "mine.zip" }, report),
      runViewOf({ ...submission, purpose: "practice" }, { name: "mine.zip" }, report),
    ]) {
      expect(perExampleLeaks(shown, testCount, testNames)).toEqual([]);
    }
  });
});
