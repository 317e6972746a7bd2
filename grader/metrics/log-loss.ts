/**
 * The clip of log loss: float32's machine epsilon (2^-23 ≈ 1.1920929e-07). scikit-learn ≥ 1.2 clips at
 * `np.finfo(y_pred.dtype).eps`, and the grader's predictions are float32 (tf.js model output), so this is
 * the value scikit-learn uses on them. A confident wrong answer costs -ln(eps) ≈ 15.94, large but finite.
 */
export const LOG_LOSS_EPSILON = 2 ** -23;

/**
 * Mean negative log-probability of the true class, computed as scikit-learn 1.2's `log_loss`: every
 * probability of a row is clipped to [eps, 1 - eps] and the row is divided by its sum again before the
 * true class's probability is taken (so rows that do not sum to 1 — a sigmoid head — count as normalised).
 *
 * @see tests/grader/sklearn-agreement.test.ts (the same numbers as scikit-learn 1.2.1)
 */
export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  if (labels.length === 0) return 0;
  const clip = (p: number) => Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p));
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    let rowSum = 0;
    for (let j = 0; j < k; j++) rowSum += clip(probs[i * k + j]!);
    sum -= Math.log(clip(probs[i * k + labels[i]!]!) / rowSum);
  }
  return sum / labels.length;
}
