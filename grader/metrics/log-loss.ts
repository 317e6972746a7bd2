/** scikit-learn's clip for log loss, so a confident wrong answer costs a large but finite amount. */
export const LOG_LOSS_EPSILON = 1e-15;

/** Mean negative log-probability of the true class. */
export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  if (labels.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i * k + labels[i]!]!;
    sum -= Math.log(Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p)));
  }
  return sum / labels.length;
}
