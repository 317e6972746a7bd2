/**
 * A progress event from a running grading job, emitted per batch and per epoch. The queue forwards it to the web
 * (SSE) and stores the last one on the submission row. Never contains held-out data.
 */
export interface GradingProgress {
  phase: "loading" | "training" | "evaluating";
  /** 1-based epoch across both phases of a transfer spec; 0 while loading/evaluating. */
  epoch: number;
  epochs: number;
  /** 1-based batch within the epoch; 0 at epoch boundaries. */
  batch: number;
  batches: number;
  /** Running mean of the epoch so far (NaN-free: a diverged job stops before reporting NaN). */
  loss: number;
  acc: number;
  /** Set at the end of an epoch when there is a validation split. */
  valLoss?: number;
  valAcc?: number;
  /** Remaining seconds, estimated from the speed so far. */
  etaSeconds?: number;
  /** "head" or "fineTune" for transfer specs. */
  trainingPhase?: "head" | "fineTune";
}
