/**
 * Top-k accuracy: an example counts when fewer than k classes have a strictly higher probability than its true
 * class (so ties with the true class are resolved in its favour).
 */
export function topKAccuracy(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number, topK: number): number {
  if (labels.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i * k + labels[i]!]!;
    let higher = 0;
    for (let j = 0; j < k; j++) if (probs[i * k + j]! > p) higher++;
    if (higher < topK) hits++;
  }
  return hits / labels.length;
}
