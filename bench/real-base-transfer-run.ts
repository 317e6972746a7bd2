import path from "node:path";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { loadRealImages } from "@/grader/data/real-image-sources";
import { gradeSubmission } from "@/grader/grade";
import { parseSpec } from "@/grader/spec/schema";
import { tinyAssignment } from "@/tests/grader/builders";

/**
 * Few-label transfer tasks on real photos for fashion-base, which `npm run models:pretrain -- --source fashion-mnist
 * --classes tshirt,trouser,pullover,dress,coat` pretrained on five clothing classes:
 * - `fashion-unseen`: the other five Fashion-MNIST classes (sandal, shirt, sneaker, bag, ankle boot), never seen in pretraining;
 * - `mnist`: handwritten digits, a different kind of picture altogether.
 * Each has 10 labelled images per class to learn from and 100 others per class to score on.
 */
export type FewLabelTask = "fashion-unseen" | "mnist";

export const UNSEEN_FASHION = ["sandal", "shirt", "sneaker", "bag", "ankle-boot"];
const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

export async function fewLabelAssignment(task: FewLabelTask, dir: string): Promise<AssignmentConfig> {
  let classes: string[];
  let datasets: AssignmentConfig["datasets"];
  if (task === "mnist") {
    classes = DIGITS;
    datasets = { train: { builtin: "mnist", count: 100, offset: 0 }, heldout: { builtin: "mnist", count: 1000, offset: 10 } };
  } else {
    classes = [...UNSEEN_FASHION].sort();
    const photos = await loadRealImages("fashion-mnist");
    const train = path.join(dir, "unseen-train.zip");
    const heldout = path.join(dir, "unseen-heldout.zip");
    // One seed, disjoint draws: the first 10 of each class to learn from, the next 100 to score on.
    await exportImageFolderZip(photos, { classes: UNSEEN_FASHION, perClass: 10, seed: 5 }, train);
    await exportImageFolderZip(photos, { classes: UNSEEN_FASHION, perClass: 100, seed: 5, offset: 10 }, heldout);
    datasets = { train: { format: "image-folder", path: train }, heldout: { format: "image-folder", path: heldout } } as AssignmentConfig["datasets"];
  }
  return tinyAssignment({
    slug: `few-${task}`,
    title: `Few labels: ${task}`,
    classes,
    inputShape: [32, 32, 3],
    datasets,
    budget: { maxParams: 200_000, maxFlopsPerImage: 100_000_000, maxEpochs: 40, maxInputSize: 32, wallClockSeconds: 600, maxBatchSize: 256 },
    score: { kind: "linear", metric: "macroF1", baseline: 1 / classes.length, target: 0.9 },
  });
}

/** fashion-base's own layers, untrained: the same network from scratch. */
const BASE_LAYERS = [
  { type: "conv2d", filters: 16, kernelSize: 3, padding: "same", activation: "relu" }, { type: "maxPooling2d" },
  { type: "conv2d", filters: 32, kernelSize: 3, padding: "same", activation: "relu" }, { type: "maxPooling2d" },
  { type: "conv2d", filters: 64, kernelSize: 3, padding: "same", activation: "relu" }, { type: "maxPooling2d" },
];
const TRAINING = { epochs: 30, batchSize: 16, validationSplit: 0 };
const RATES = [0.01, 0.001];

export interface Comparison {
  /** Held-out macro-F1 per learning rate. */
  frozen: { learningRate: number; f1: number }[];
  scratch: { learningRate: number; f1: number }[];
  /** Best frozen minus best from scratch. */
  margin: number;
}

/**
 * The head on the base: `lesson` is the lesson's transfer recipe (specs/transfer.yaml: global average pooling, a
 * 64-unit ReLU layer, softmax); `flatten` keeps the feature map's layout (flatten, 64 ReLU, softmax).
 */
export type Head = "lesson" | "flatten";

/**
 * Held-out macro-F1 of fashion-base frozen under a new head, and of the same architecture (base layers + head)
 * trained from scratch, each at two learning rates (the better one counts, so neither side loses to one bad setting),
 * all through the grader's own pipeline with one seed.
 */
export async function fromScratchVsFrozen(assignment: AssignmentConfig, seed: number, dataDir: string, headKind: Head = "lesson"): Promise<Comparison> {
  const head = [
    { type: headKind === "lesson" ? "globalAveragePooling2d" : "flatten" },
    { type: "dense", units: 64, activation: "relu" },
    { type: "dense", units: assignment.classes.length, activation: "softmax" },
  ];
  const f1 = async (spec: unknown): Promise<number> => {
    const parsed = parseSpec(spec);
    const report = await gradeSubmission({ assignment, submission: { kind: parsed.kind as "cnn" | "transfer", spec: parsed }, seed, dataDir });
    return report.metrics!.all.macro.f1;
  };
  const frozen = [];
  const scratch = [];
  for (const learningRate of RATES) {
    frozen.push({ learningRate, f1: await f1({ kind: "transfer", base: "fashion-base", head, training: { ...TRAINING, learningRate } }) });
    scratch.push({ learningRate, f1: await f1({ kind: "cnn", layers: [...BASE_LAYERS, ...head], training: { ...TRAINING, learningRate } }) });
  }
  const best = (runs: { f1: number }[]) => Math.max(...runs.map((r) => r.f1));
  return { frozen, scratch, margin: best(frozen) - best(scratch) };
}
