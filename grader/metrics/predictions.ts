/**
 * Predicted class per example: the arg-max of its probability row. Ties go to the lowest class index (as numpy's
 * argmax does), so a tie is resolved the same way on every backend.
 */
export function argmaxRows(probs: ArrayLike<number>, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probs[i * k + j]! > probs[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}
