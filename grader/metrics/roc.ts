import type { RocCurve } from "../report/schema";

/** Curves in the report keep at most this many points; AUC uses the full curve. */
export const MAX_ROC_POINTS = 101;

/**
 * How far (in rates, 0–1) a stored curve may stray from the full one: the report's ROC chart is
 * 300 px square (app/_components/charts/roc-chart.tsx), so 1/300 is a pixel.
 */
export const ROC_TOLERANCE = 1 / 300;

/** Decimals kept of each rate: 1e-3 is a third of a pixel on that chart. */
const ROC_DECIMALS = 3;

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
  return { className, auc, points: leanCurve(points) };
}

/**
 * The curve as the report stores it: only the corners a chart can show (simplified within
 * ROC_TOLERANCE, so a held-out set of thousands of images does not store thousands of points per
 * class and split), rates rounded to ROC_DECIMALS, at most MAX_ROC_POINTS points.
 */
export function leanCurve(points: { fpr: number; tpr: number }[]): { fpr: number; tpr: number }[] {
  const round = (v: number) => Math.round(v * 10 ** ROC_DECIMALS) / 10 ** ROC_DECIMALS;
  const kept = simplify(points, ROC_TOLERANCE).map((p) => ({ fpr: round(p.fpr), tpr: round(p.tpr) }));
  return downsample(kept, MAX_ROC_POINTS);
}

/** Distance from p to the segment a–b. */
function distanceToSegment(p: { fpr: number; tpr: number }, a: { fpr: number; tpr: number }, b: { fpr: number; tpr: number }): number {
  const dx = b.fpr - a.fpr;
  const dy = b.tpr - a.tpr;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.fpr - a.fpr) * dx + (p.tpr - a.tpr) * dy) / len2));
  return Math.hypot(p.fpr - (a.fpr + t * dx), p.tpr - (a.tpr + t * dy));
}

/**
 * Ramer–Douglas–Peucker: keeps the ends and every point farther than `tolerance` from the line
 * through its kept neighbours. Iterative (an explicit stack), so a long curve cannot overflow the
 * call stack.
 */
export function simplify<T extends { fpr: number; tpr: number }>(points: T[], tolerance: number): T[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    let far = -1;
    let farthest = tolerance;
    for (let i = from + 1; i < to; i++) {
      const d = distanceToSegment(points[i]!, points[from]!, points[to]!);
      if (d > farthest) {
        farthest = d;
        far = i;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([from, far], [far, to]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** Keeps the first and last point and evenly spaced ones between them. */
export function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}
