import type { RocCurve } from "../report/schema";

/** Curves in the report are downsampled to at most this many points; AUC uses the full curve. */
export const MAX_ROC_POINTS = 101;

/**
 * One-vs-rest ROC curve of one class. Thresholds are the distinct scores, so tied scores move the curve diagonally
 * and count half in the AUC (the Mann–Whitney convention). AUC is null when the split has no positive or no negative
 * example for the class.
 */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>, className: string): RocCurve {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let pos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) pos++;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return { className, auc: null, points: [] };
  const points: { fpr: number; tpr: number }[] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let i = 0; i < n; ) {
    const s = scores[order[i]!]!;
    let dtp = 0;
    let dfp = 0;
    for (; i < n && scores[order[i]!]! === s; i++) {
      if (positive[order[i]!]) dtp++;
      else dfp++;
    }
    auc += (dfp / neg) * ((tp + dtp / 2) / pos);
    tp += dtp;
    fp += dfp;
    points.push({ fpr: fp / neg, tpr: tp / pos });
  }
  return { className, auc, points: downsample(points, MAX_ROC_POINTS) };
}

/** Keeps the first and last point and evenly spaced ones between them. */
export function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}
