import type { SplitMetrics } from "../report/schema";
import { confusionMatrix } from "./confusion-matrix";
import { logLoss } from "./log-loss";
import { averages, perClassMetrics } from "./per-class";
import { argmaxRows } from "./predictions";
import { rocCurve } from "./roc";
import { topKAccuracy } from "./top-k";

/**
 * Every metric of one split of the held-out set from class probabilities (row-major n × k) and true labels.
 * The result holds aggregates only.
 */
export function computeMetrics(probs: Float32Array, labels: ArrayLike<number>, classes: string[], topK: number): SplitMetrics {
  const k = classes.length;
  const n = labels.length;
  const predicted = argmaxRows(probs, n, k);
  const confusion = confusionMatrix(labels, predicted, k);
  const perClass = perClassMetrics(confusion, classes);
  const { macro, weighted } = averages(perClass, confusion);
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct++;
  const roc = classes.map((name, c) => {
    const scores = new Float32Array(n);
    const positive = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      scores[i] = probs[i * k + c]!;
      positive[i] = labels[i] === c;
    }
    return rocCurve(scores, positive, name);
  });
  const aucs = roc.map((r) => r.auc).filter((a): a is number => a !== null);
  return {
    count: n,
    accuracy: n ? correct / n : 0,
    topK: { k: Math.min(topK, k), accuracy: topKAccuracy(probs, labels, k, topK) },
    perClass,
    macro,
    weighted,
    confusionMatrix: confusion,
    roc,
    macroAuc: aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : null,
    logLoss: logLoss(probs, labels, k),
  };
}

/** Selects the rows of `probs` and `labels` at `indices` (for the public / private parts). */
export function selectRows(probs: Float32Array, labels: ArrayLike<number>, k: number, indices: number[]): { probs: Float32Array; labels: Int32Array } {
  const p = new Float32Array(indices.length * k);
  const l = new Int32Array(indices.length);
  indices.forEach((idx, i) => {
    p.set(probs.subarray(idx * k, (idx + 1) * k), i * k);
    l[i] = labels[idx]!;
  });
  return { probs: p, labels: l };
}
