import { z } from "zod";
import { submissionKindSchema } from "../contracts/submission-status";
import { layerRowSchema } from "../spec/layer-row";

/**
 * The grading report: one JSON document per submission run, stored in `reports.report` and rendered by the web.
 * It holds aggregates only — never a held-out example's label or per-example prediction.
 */


export const perClassSchema = z.object({
  className: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
});
export type PerClassMetrics = z.infer<typeof perClassSchema>;

const averagesSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });

export const rocCurveSchema = z.object({
  className: z.string(),
  /** Null when the class is absent (or the only class present) in this split: ROC is undefined. */
  auc: z.number().nullable(),
  /** At most 101 points, from (0,0) to (1,1). */
  points: z.array(z.object({ fpr: z.number(), tpr: z.number() })).max(101),
});
export type RocCurve = z.infer<typeof rocCurveSchema>;

export const splitMetricsSchema = z.object({
  count: z.number().int(),
  accuracy: z.number(),
  topK: z.object({ k: z.number().int(), accuracy: z.number() }),
  perClass: z.array(perClassSchema),
  macro: averagesSchema,
  weighted: averagesSchema,
  /** confusion[trueClass][predictedClass] = count. */
  confusionMatrix: z.array(z.array(z.number().int())),
  roc: z.array(rocCurveSchema),
  /** Mean over classes with a defined AUC; null when none is defined. */
  macroAuc: z.number().nullable(),
  logLoss: z.number(),
});
export type SplitMetrics = z.infer<typeof splitMetricsSchema>;

export const splitScoreSchema = z.object({
  score: z.number().min(0).max(100),
  metric: z.string(),
  /** The run's metric on this split. */
  value: z.number(),
  /** The metric value that scores 0 and the one that scores 100 (linear in between). */
  baseline: z.number(),
  target: z.number(),
  formula: z.string(),
  /**
   * `kind: improvement` scores only (grader/score/improvement-score.ts): the platform's baseline run on the same
   * dataset and split, and the improvement over it that `baseline`/`target` above were derived from.
   */
  improvement: z.object({
    /** The baseline run's metric on the same split, and the submission that produced it. */
    baselineValue: z.number(),
    baselineSubmissionId: z.string(),
    /** value − baselineValue. */
    delta: z.number(),
    zeroAt: z.number(),
    fullMarksAt: z.number(),
  }).optional(),
});
export type SplitScore = z.infer<typeof splitScoreSchema>;

export const epochRecordSchema = z.object({
  epoch: z.number().int(),
  phase: z.enum(["train", "head", "fineTune"]),
  loss: z.number(),
  acc: z.number(),
  valLoss: z.number().nullable(),
  valAcc: z.number().nullable(),
  learningRate: z.number(),
  seconds: z.number(),
});
export type EpochRecord = z.infer<typeof epochRecordSchema>;

const splits = <T extends z.ZodTypeAny>(t: T) => z.object({ public: t, private: t, all: t });

export const gradingReportSchema = z.object({
  version: z.literal(1),
  status: z.enum(["succeeded", "diverged"]),
  /** Human-readable explanation for a non-success or an early stop. */
  message: z.string().nullable(),
  assignment: z.object({ slug: z.string(), number: z.number().int(), classes: z.array(z.string()) }),
  submission: z.object({
    kind: submissionKindSchema,
    name: z.string().nullable(),
    seed: z.number(),
    base: z.string().nullable(),
    optimizer: z.string().nullable(),
    learningRate: z.number().nullable(),
    epochsRequested: z.number().int().nullable(),
    batchSize: z.number().int().nullable(),
    augmentation: z.array(z.string()),
  }),
  model: z.object({
    inputShape: z.array(z.number().int()),
    outputShape: z.array(z.number().int()),
    layers: z.array(layerRowSchema),
    totalParams: z.number().int(),
    trainableParams: z.number().int(),
    flopsPerImage: z.number(),
  }),
  backend: z.enum(["tfjs-node-gpu", "tfjs-node", "wasm"]),
  /** WebAssembly: threads of its pool for this run (grader/backend/wasm-threads.ts). Absent for tfjs-node and older reports. */
  backendThreads: z.number().int().positive().optional(),
  durations: z.object({ loadMs: z.number(), trainMs: z.number(), evaluateMs: z.number(), totalMs: z.number() }),
  training: z.object({
    epochsRun: z.number().int(),
    stoppedEarly: z.boolean(),
    stopReason: z.enum(["completed", "earlyStopping", "wallClock", "diverged", "notTrained"]),
    trainExamples: z.number().int(),
    validationExamples: z.number().int(),
    imagesPerSecond: z.number().nullable(),
    curves: z.array(epochRecordSchema),
    /**
     * Transfer specs: whether phase one trained the head on the frozen base's features computed once per image
     * (grader/train/feature-cache.ts), and `note` saying so or why not. Null for other kinds; absent in older reports.
     */
    featureCache: z.object({
      used: z.boolean(),
      note: z.string(),
      /** Images whose features were computed (training and validation), and flip variants per image. */
      images: z.number().int(),
      variants: z.number().int(),
      extractMs: z.number(),
    }).nullable().optional(),
  }),
  metrics: splits(splitMetricsSchema).nullable(),
  /**
   * Null when the score is not the grader's alone to compute: a graded run of a `kind: improvement` assignment is
   * scored against its dataset's baseline run once both have finished (domain/grading/baseline-score.ts fills it in),
   * and practice and baseline runs on such an assignment have no score of their own.
   */
  score: splits(splitScoreSchema).nullable(),
  createdAt: z.string(),
});
export type GradingReport = z.infer<typeof gradingReportSchema>;
export type Backend = GradingReport["backend"];
