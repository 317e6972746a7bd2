/**
 * The "time left" of a grading job, in seconds. The first batch of a job is dominated by one-off costs
 * (kernels compiled, buffers allocated, the model's first trace), so dividing by it promised a student
 * 10 minutes for a 1.5-minute job. Until a few batches after that first one have been timed, the
 * estimate comes from the speed this assignment's past jobs measured on this backend (when there are
 * any); then from this job's own speed, blended in over the next batches.
 */
export interface TimeLeftOptions {
  /** Training images the whole job will go through (epochs × training examples). */
  totalImages: number;
  /** Images predicted after training (the held-out set); one prediction costs about a third of a training step. */
  evaluationImages: number;
  /** This model's expected training speed from past jobs of the assignment (images/s), when known. */
  priorImagesPerSecond?: number;
  /** Absolute time (ms) at which training stops at the latest: the wall-clock budget. */
  deadline?: number;
  now?: () => number;
}

/** Batches at the start of a job whose time says nothing about its speed. */
export const WARMUP_BATCHES = 1;
/** Timed batches after the warm-up before the job's own speed is trusted at all... */
export const MIN_TIMED_BATCHES = 3;
/** ...and after which it replaces the prior entirely. */
const FULL_WEIGHT_BATCHES = 15;
/** A forward pass costs about a third of a forward + backward training step. */
const FORWARD_SPEEDUP = 3;

export interface TimeLeftEstimator {
  /** Records that a batch finished with `imagesDone` training images seen so far; returns the estimate. */
  afterBatch(imagesDone: number): number | undefined;
  /** The estimate now (e.g. after an epoch's validation pass), without a new batch. */
  estimate(imagesDone: number): number | undefined;
}

export function createTimeLeftEstimator(opts: TimeLeftOptions): TimeLeftEstimator {
  const now = opts.now ?? Date.now;
  const prior = opts.priorImagesPerSecond && Number.isFinite(opts.priorImagesPerSecond) && opts.priorImagesPerSecond > 0
    ? opts.priorImagesPerSecond
    : undefined;
  let batches = 0;
  let warm: { t: number; images: number } | undefined;

  const rate = (imagesDone: number): number | undefined => {
    const timed = batches - WARMUP_BATCHES;
    let observed: number | undefined;
    if (warm && timed >= MIN_TIMED_BATCHES) {
      const seconds = (now() - warm.t) / 1000;
      if (seconds > 0) observed = (imagesDone - warm.images) / seconds;
    }
    if (observed === undefined) return prior;
    if (prior === undefined) return observed;
    const w = Math.min(1, timed / FULL_WEIGHT_BATCHES);
    return w * observed + (1 - w) * prior;
  };

  const estimate = (imagesDone: number): number | undefined => {
    const r = rate(imagesDone);
    if (!r) return undefined;
    let trainSeconds = Math.max(0, opts.totalImages - imagesDone) / r;
    if (opts.deadline !== undefined) trainSeconds = Math.min(trainSeconds, Math.max(0, (opts.deadline - now()) / 1000));
    return trainSeconds + opts.evaluationImages / (FORWARD_SPEEDUP * r);
  };

  return {
    afterBatch(imagesDone) {
      batches++;
      if (batches === WARMUP_BATCHES) warm = { t: now(), images: imagesDone };
      return estimate(imagesDone);
    },
    estimate,
  };
}
