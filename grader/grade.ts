import type { LayersModel } from "@tensorflow/tfjs";
import { env } from "@/env";
import { instructorDatasets, uploadLimitsOf, type AssignmentConfig } from "./assignment/schema";
import { loadTf } from "./backend/load-tf";
import { heldoutSplit } from "./data/heldout-split";
import { classCounts, type ImageDataset } from "./data/image-dataset";
import { loadDataset } from "./data/load-dataset";
import { GradingAbortedError, ModelArchiveError, SpecOverBudgetError, type Issue } from "./errors";
import { loadSubmittedModel } from "./evaluate/load-submitted-model";
import { predictProbabilities } from "./evaluate/predict";
import { computeMetrics, selectRows } from "./metrics/compute-metrics";
import { buildModel } from "./model/build-model";
import { summarizeModel } from "./model/summarize-model";
import { SeededRandom } from "./random";
import { loadBase } from "./registry/load-base";
import type { GradingProgress } from "./contracts/grading-progress";
import type { TrainedKind } from "./contracts/submission-status";
import type { TrainingThroughput } from "./contracts/training-throughput";
import type { GradingReport, SplitMetrics } from "./report/schema";
import { computeScore } from "./score/compute-score";
import type { SpecAnalysis } from "./spec/analyze";
import { checkSpecForAssignment, fittingSpec } from "./spec/check-spec";
import { formatCount } from "./spec/check-budget";
import { totalEpochs, type Spec } from "./spec/schema";
import { describeAugmentation } from "./train/augment";
import { classWeightVector } from "./train/class-weights";
import { planFeatureCache } from "./train/feature-cache";
import { trainModel, type TrainPhase, type TrainResult } from "./train/train-model";
import { transferPhases } from "./train/transfer-phases";
import { validationSplit } from "./train/validation-split";

export type { GradingProgress } from "./contracts/grading-progress";
export type { GradingReport } from "./report/schema";

/** What to grade: a spec the grader trains, or a trained model it only evaluates. */
export type SubmissionInput =
  | { kind: TrainedKind; spec: Spec }
  | { kind: "model"; modelDir: string };

export interface GradeInput {
  assignment: AssignmentConfig;
  submission: SubmissionInput;
  /** Fixes initialisation, shuffling, augmentation and the validation split. */
  seed: number;
  /** Where the decoded dataset cache lives; defaults to env.DATA_DIR. */
  dataDir?: string;
  /**
   * Transfer specs: train phase one on the frozen base's cached features when that is exact (default true). Off only
   * to measure or test the uncached path, which gives the same results more slowly.
   */
  featureCache?: boolean;
}

export interface GradeOptions {
  onProgress?: (p: GradingProgress) => void;
  /** This assignment's measured training speed per backend, for the first "time left" (see train/time-left.ts). */
  throughput?: TrainingThroughput;
  signal?: AbortSignal;
}

const log = (msg: string): void => console.info(`[grader] ${msg}`);

/** What the report of an uploaded model scored on the student's own dataset says: its owner had the test images. */
export const HAD_TEST_IMAGES =
  "Evaluated on the test part of the student's own dataset. The student uploaded these images and trained this model " +
  "themselves, so they had the test images while training it: the score cannot show that the model never saw them.";

/** The images per second a model of `flopsPerImage` should train at, from the assignment's measured speed on this backend. */
function priorSpeed(throughput: TrainingThroughput | undefined, backend: string, flopsPerImage: number): number | undefined {
  const measured = throughput?.[backend];
  return measured && flopsPerImage > 0 ? measured.trainFlopsPerSecond / flopsPerImage : undefined;
}

/** Independent seeds for the independent random streams of one job. */
function streams(seed: number): { init: SeededRandom; train: SeededRandom; valSeed: number } {
  const root = new SeededRandom(seed);
  return { init: new SeededRandom(root.seed()), train: new SeededRandom(root.seed()), valSeed: root.seed() };
}

/**
 * Validates a spec against the assignment before any training, with the one check the builder and the submit path
 * also run (./spec/check-spec.ts): schema, layer shapes, budget, class weights.
 * @throws SpecValidationError | SpecOverBudgetError
 */
export function validateForAssignment(specInput: unknown, assignment: AssignmentConfig): { spec: Spec; analysis: SpecAnalysis } {
  return fittingSpec(checkSpecForAssignment(specInput, assignment));
}

/** Describes the first row that is not a probability distribution, or returns undefined when all are. */
function invalidProbabilities(probs: Float32Array, k: number): string | undefined {
  for (let i = 0; i < probs.length / k; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const p = probs[i * k + j]!;
      if (!Number.isFinite(p) || p < -1e-6) return `an output is ${p}`;
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-3) return `outputs sum to ${sum.toFixed(4)}, not 1`;
  }
  return undefined;
}

/** The report's account of phase one's feature caching: what was cached, or why the base ran every step. */
function featureCacheSummary(trained: TrainResult | undefined, skipped: string | undefined): NonNullable<GradingReport["training"]["featureCache"]> {
  const use = trained?.featureCache[0];
  if (!use) {
    return { used: false, note: `The frozen base ran at every step of phase one: ${skipped ?? "training stopped before it started"}.`, images: 0, variants: 0, extractMs: 0 };
  }
  const flips = use.variants === 1 ? "" : ` (${use.variants} versions of each: the original and its flips)`;
  const how = use.readVariants === use.variants ? "read from the feature cache an earlier job on this base and data filled"
    : use.readVariants > 0 ? `partly read from the feature cache, partly computed in ${(use.extractMs / 1000).toFixed(1)} s`
    : `computed in ${(use.extractMs / 1000).toFixed(1)} s and kept for later jobs`;
  return {
    used: true,
    note: `Phase one trained the head on the frozen base's features of all ${use.images} training images${flips}, ${how}, ` +
      "instead of running the base at every step; the result is the same.",
    images: use.images, variants: use.variants, extractMs: use.extractMs,
  };
}

/** Metrics on the whole held-out set and on its stored public / private parts. */
function heldoutMetrics(probs: Float32Array, labels: Uint8Array, assignment: AssignmentConfig): NonNullable<GradingReport["metrics"]> {
  const k = assignment.classes.length;
  const topK = assignment.evaluation.topK;
  const all = computeMetrics(probs, labels, assignment.classes, topK);
  // No private part (a student's own data): the public and private figures are the whole set.
  if (assignment.publicFraction >= 1) return { all, public: all, private: all };
  const isPublic = heldoutSplit(labels, assignment.publicFraction, assignment.splitSeed);
  const pub: number[] = [];
  const priv: number[] = [];
  isPublic.forEach((p, i) => (p ? pub : priv).push(i));
  const part = (idx: number[]): SplitMetrics => {
    const rows = selectRows(probs, labels, k, idx);
    return computeMetrics(rows.probs, rows.labels, assignment.classes, topK);
  };
  return { all, public: part(pub), private: part(priv) };
}

/**
 * Grades one submission end to end: validate → load data → build (or load) the model → train within budget →
 * predict the held-out set → metrics per public/private/all → score. Returns the report; user-caused problems throw
 * typed `GraderUserError`s before any training; a diverged model yields a report with status "diverged".
 * @see docs/architecture.md, "Grading semantics"
 */
export async function gradeSubmission(input: GradeInput, opts: GradeOptions = {}): Promise<GradingReport> {
  const { assignment, submission, seed } = input;
  const started = Date.now();
  const deadline = started + assignment.budget.wallClockSeconds * 1000;
  const dataDir = input.dataDir ?? env.DATA_DIR;
  const k = assignment.classes.length;
  const emit = opts.onProgress;
  const checkAbort = (): void => {
    if (opts.signal?.aborted) throw new GradingAbortedError();
  };

  // 1. Everything a student can get wrong is checked before any tensor exists.
  const validated = submission.kind === "model" ? undefined : validateForAssignment(submission.spec, assignment);
  const spec = validated?.spec;

  const { tf, backend, threads } = await loadTf();
  emit?.({ phase: "loading", epoch: 0, epochs: spec ? totalEpochs(spec) : 0, batch: 0, batches: 0, loss: 0, acc: 0 });
  let model: LayersModel | undefined;
  let base: LayersModel | undefined;
  try {
    const sets = instructorDatasets(assignment);
    const heldout = (await loadDataset(sets.heldout, assignment, dataDir)).dataset;
    let train: ImageDataset | undefined;
    /** A stored validation part (a student's own dataset): indices into `train`, used instead of a seeded carve-out. */
    let storedValidation: Int32Array | undefined;
    let analysis: { layers: GradingReport["model"]["layers"]; totalParams: number; trainableParams: number; flopsPerImage: number; inputShape: number[]; outputShape: number[] };
    const rng = streams(seed);
    if (spec && validated) {
      const loadedTrain = await loadDataset(sets.train, assignment, dataDir);
      train = loadedTrain.dataset;
      storedValidation = loadedTrain.validation;
      checkAbort();
      const loadedBase = spec.kind === "transfer" ? await loadBase(tf, spec.base) : undefined;
      base = loadedBase?.model;
      const built = buildModel(tf, spec, validated.analysis, rng.init, loadedBase);
      model = built.model;
      analysis = { ...validated.analysis, layers: validated.analysis.layers.map(({ path: _path, ...row }) => row) };
    } else {
      model = await loadSubmittedModel(tf, (submission as { modelDir: string }).modelDir, uploadLimitsOf(assignment).model);
      const summary = summarizeModel(model);
      const expected = [...assignment.inputShape];
      const issues: Issue[] = [];
      if (summary.inputShape.join(",") !== expected.join(",")) {
        issues.push({ path: "model", message: `the model takes input [${summary.inputShape.join(", ")}] but this assignment's images are [${expected.join(", ")}]` });
      }
      if (summary.outputShape.join(",") !== String(k)) {
        issues.push({ path: "model", message: `the model outputs [${summary.outputShape.join(", ")}] but must output one probability per class: [${k}]` });
      }
      if (summary.totalParams > assignment.budget.maxParams) {
        issues.push({ path: "model", message: `the model has ${formatCount(summary.totalParams)} parameters; the budget allows ${formatCount(assignment.budget.maxParams)} in total` });
      }
      if (summary.flopsPerImage > assignment.budget.maxFlopsPerImage) {
        issues.push({ path: "model", message: `the model needs ${formatCount(summary.flopsPerImage)} FLOPs per image; the budget allows ${formatCount(assignment.budget.maxFlopsPerImage)}` });
      }
      if (issues.length) throw new SpecOverBudgetError(issues);
      analysis = summary;
    }
    const loadMs = Date.now() - started;
    checkAbort();

    // 2. Training (specs only).
    let trained: TrainResult | undefined;
    let cacheSkipped: string | undefined;
    let trainExamples = 0;
    let validationExamples = 0;
    if (spec && train && model) {
      const split = storedValidation
        ? { train: Int32Array.from({ length: train.count - storedValidation.length }, (_, i) => i), val: storedValidation }
        : validationSplit(train.labels, spec.training.validationSplit, rng.valSeed);
      trainExamples = split.train.length;
      validationExamples = split.val.length;
      const counts = classCounts({ classes: train.classes, labels: split.train.map((i) => train!.labels[i]!) as unknown as Uint8Array });
      const weights = classWeightVector(spec.training.classWeights, assignment.classes, counts);
      const phases: TrainPhase[] = [];
      if (spec.kind === "transfer") {
        phases.push(...transferPhases(spec, base!));
        const decision = input.featureCache === false
          ? { reason: "feature caching was turned off for this run" }
          : planFeatureCache(model, base!, spec.training.augmentation, spec.training.epochs, train.count);
        if ("plan" in decision) phases[0]!.featureCache = { ...decision.plan, store: { dataDir, backend } };
        else cacheSkipped = decision.reason;
      } else {
        phases.push({ name: "train", epochs: spec.training.epochs, learningRate: spec.training.learningRate });
      }
      trained = await trainModel({
        tf, model, data: train, trainIndices: split.train, valIndices: split.val, training: spec.training, phases,
        classWeights: weights, rng: rng.train, deadline, onProgress: emit, signal: opts.signal,
        timeLeft: {
          evaluationImages: heldout.count,
          priorImagesPerSecond: priorSpeed(opts.throughput, backend, analysis.flopsPerImage),
        },
      });
      log(`trained ${trained.epochsRun} epoch(s) in ${trained.trainMs} ms (${trained.stopReason})`);
    }
    checkAbort();

    // 3. Evaluation on the held-out set; labels and predictions stay in this function.
    const evalStart = Date.now();
    let metrics: GradingReport["metrics"] = null;
    let divergence = trained?.stopReason === "diverged" ? (trained.divergence ?? "The model diverged.") : undefined;
    if (divergence === undefined) {
      const all = Int32Array.from({ length: heldout.count }, (_, i) => i);
      const probs = await predictProbabilities(tf, model!, heldout, all, undefined, (done, total) =>
        emit?.({ phase: "evaluating", epoch: 0, epochs: 0, batch: done, batches: total, loss: 0, acc: 0 }));
      const invalid = invalidProbabilities(probs, k);
      if (invalid && submission.kind === "model") {
        throw new ModelArchiveError(`The model's outputs are not class probabilities (${invalid}); end the model with a softmax layer`);
      }
      if (invalid) {
        // A trained spec ends in softmax, so anything else means its weights overflowed after the last batch check.
        divergence = `After training, the model's outputs are not probabilities (${invalid}): the model diverged. Lower the learning rate or add batch normalization.`;
      } else {
        metrics = heldoutMetrics(probs, heldout.labels, assignment);
      }
    }
    const evaluateMs = Date.now() - evalStart;
    // An improvement score needs the dataset's baseline run as well: it is computed once both reports exist.
    const formula = assignment.score;
    const score = formula.kind === "linear" ? {
      all: computeScore(metrics?.all ?? null, formula),
      public: computeScore(metrics?.public ?? null, formula),
      private: computeScore(metrics?.private ?? null, formula),
    } : null;
    const stopMessages: Record<string, string | null> = {
      completed: null,
      notTrained: null,
      earlyStopping: "Training stopped early: the validation metric stopped improving.",
      wallClock: `Training stopped at the wall-clock limit of ${assignment.budget.wallClockSeconds} s; the model was evaluated as it was then.`,
    };
    const stopReason = divergence !== undefined ? "diverged" : trained?.stopReason ?? "notTrained";
    return {
      version: 1,
      status: divergence !== undefined ? "diverged" : "succeeded",
      message: divergence ?? stopMessages[stopReason] ?? (submission.kind === "model" && "ownDataset" in sets.heldout && sets.heldout.ownDataset ? HAD_TEST_IMAGES : null),
      assignment: { slug: assignment.slug, number: assignment.number, classes: [...assignment.classes] },
      submission: {
        kind: spec?.kind ?? "model",
        name: spec?.name ?? null,
        seed,
        base: spec?.kind === "transfer" ? spec.base : null,
        optimizer: spec?.training.optimizer ?? null,
        learningRate: spec?.training.learningRate ?? null,
        epochsRequested: spec ? totalEpochs(spec) : null,
        batchSize: spec?.training.batchSize ?? null,
        augmentation: spec ? describeAugmentation(spec.training.augmentation) : [],
      },
      model: analysis,
      backend,
      ...(threads ? { backendThreads: threads } : {}),
      durations: { loadMs, trainMs: trained?.trainMs ?? 0, evaluateMs, totalMs: Date.now() - started },
      training: {
        epochsRun: trained?.epochsRun ?? 0,
        stoppedEarly: stopReason === "earlyStopping" || stopReason === "wallClock",
        stopReason,
        trainExamples,
        validationExamples,
        imagesPerSecond: trained?.imagesPerSecond ?? null,
        curves: trained?.curves ?? [],
        featureCache: spec?.kind === "transfer" ? featureCacheSummary(trained, cacheSkipped) : null,
      },
      metrics,
      score,
      createdAt: new Date().toISOString(),
    };
  } finally {
    // A built transfer model owns its nested base: disposing the model frees the base too (disposing it again throws).
    if (model) model.dispose();
    else if (base) base.dispose();
  }
}
