import { describe, expect, it } from "vitest";
import { computeMetrics } from "@/grader/metrics/compute-metrics";
import { confusionMatrix } from "@/grader/metrics/confusion-matrix";
import { logLoss } from "@/grader/metrics/log-loss";
import { averages, perClassMetrics } from "@/grader/metrics/per-class";
import { argmaxRows } from "@/grader/metrics/predictions";
import { MAX_ROC_POINTS, rocCurve } from "@/grader/metrics/roc";
import { SeededRandom } from "@/grader/random";
import { topKAccuracy } from "@/grader/metrics/top-k";
import { computeScore } from "@/grader/score/compute-score";

const classes = ["a", "b", "c"];

/** Rows of probabilities, flattened. */
const rows = (...r: number[][]): Float32Array => Float32Array.from(r.flat());

describe("confusion matrix and per-class metrics", () => {
  // true:      a a a b b c
  // predicted: a a b b b a
  const labels = [0, 0, 0, 1, 1, 2];
  const predicted = [0, 0, 1, 1, 1, 0];
  const cm = confusionMatrix(labels, predicted, 3);

  it("counts true classes in rows and predictions in columns", () => {
    expect(cm).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
  });

  it("computes precision, recall, F1 and support by hand", () => {
    const pc = perClassMetrics(cm, classes);
    // a: tp 2, predicted 3, support 3 → P 2/3, R 2/3, F1 2/3
    expect(pc[0]!.precision).toBeCloseTo(2 / 3, 12);
    expect(pc[0]!.recall).toBeCloseTo(2 / 3, 12);
    expect(pc[0]!.f1).toBeCloseTo(2 / 3, 12);
    // b: tp 2, predicted 3, support 2 → P 2/3, R 1, F1 0.8
    expect(pc[1]!.precision).toBeCloseTo(2 / 3, 12);
    expect(pc[1]!.recall).toBe(1);
    expect(pc[1]!.f1).toBeCloseTo(0.8, 12);
    expect(pc.map((p) => p.support)).toEqual([3, 2, 1]);
  });

  it("gives a class that is never predicted precision 0 and F1 0 instead of NaN", () => {
    const c = perClassMetrics(cm, classes)[2]!;
    expect(c).toEqual({ className: "c", precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it("macro-averages over classes present or predicted, and weights by support", () => {
    const pc = perClassMetrics(cm, classes);
    const { macro, weighted } = averages(pc, cm);
    expect(macro.f1).toBeCloseTo((2 / 3 + 0.8 + 0) / 3, 12);
    expect(weighted.f1).toBeCloseTo((3 * (2 / 3) + 2 * 0.8 + 0) / 6, 12);
    expect(weighted.recall).toBeCloseTo((3 * (2 / 3) + 2 * 1) / 6, 12);
  });

  it("leaves a class absent from the split and never predicted out of the macro average", () => {
    // Only classes a and b occur; c is neither a label nor a prediction.
    const m = confusionMatrix([0, 1, 1], [0, 1, 0], 3);
    const pc = perClassMetrics(m, classes);
    expect(pc[2]).toEqual({ className: "c", precision: 0, recall: 0, f1: 0, support: 0 });
    const { macro } = averages(pc, m);
    // a: P 1/2 R 1 F1 2/3; b: P 1 R 1/2 F1 2/3 → macro F1 2/3 (not 4/9)
    expect(macro.f1).toBeCloseTo(2 / 3, 12);
  });

  it("counts an absent class that is predicted anyway in the macro average with F1 0", () => {
    const m = confusionMatrix([0, 0], [0, 2], 3);
    const { macro } = averages(perClassMetrics(m, classes), m);
    // a: P 1 R 1/2 F1 2/3; c: support 0, predicted once → F1 0 → macro (2/3 + 0) / 2
    expect(macro.f1).toBeCloseTo(1 / 3, 12);
  });
});

describe("ties", () => {
  it("breaks an arg-max tie towards the lowest class index", () => {
    expect(Array.from(argmaxRows(rows([0.4, 0.4, 0.2], [0.1, 0.45, 0.45]), 2, 3))).toEqual([0, 1]);
  });

  it("counts the true class in the top k when fewer than k classes score strictly higher", () => {
    const p = rows([0.5, 0.25, 0.25], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]);
    // Example 0: label 2 ties with class 1 behind class 0 → within top-2. Example 1: label 0 is last → miss.
    // Example 2: label 1 is second → hit.
    expect(topKAccuracy(p, [2, 0, 1], 3, 2)).toBeCloseTo(2 / 3, 12);
    expect(topKAccuracy(p, [2, 0, 1], 3, 1)).toBe(0);
  });

  it("gives tied scores half credit in the AUC and a diagonal step in the curve", () => {
    // positives score 0.8 and 0.5, negatives 0.5 and 0.2: the pair (0.5, 0.5) is a tie → AUC = (3 + 0.5) / 4
    const r = rocCurve([0.8, 0.5, 0.5, 0.2], [true, true, false, false], "x");
    expect(r.auc).toBeCloseTo(0.875, 12);
    expect(r.points).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
  });
});

describe("ROC curves", () => {
  it("is 1 for a perfect ranking and 0 for a reversed one", () => {
    expect(rocCurve([0.9, 0.8, 0.1], [true, true, false], "x").auc).toBe(1);
    expect(rocCurve([0.1, 0.2, 0.9], [true, true, false], "x").auc).toBe(0);
  });

  it("has no AUC for a class with no positive examples in the split", () => {
    const r = rocCurve([0.1, 0.2], [false, false], "x");
    expect(r.auc).toBeNull();
    expect(r.points).toEqual([]);
  });

  it("stores at most 101 points of a long curve, keeping both ends", () => {
    const n = 1000;
    const scores = Array.from({ length: n }, (_, i) => i / n);
    const positive = scores.map((_, i) => i % 3 === 0);
    const r = rocCurve(scores, positive, "x");
    expect(r.points.length).toBeLessThanOrEqual(MAX_ROC_POINTS);
    expect(r.points[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(r.points[r.points.length - 1]).toEqual({ fpr: 1, tpr: 1 });
  });

  it("keeps only the corners a chart can show: every full-curve point stays within a pixel of the stored curve", () => {
    // 2,000 held-out images of a decent classifier: two overlapping score distributions.
    const random = new SeededRandom(7);
    const rand = () => random.next();
    const n = 2000;
    const positive = Array.from({ length: n }, (_, i) => i % 5 === 0);
    const scores = positive.map((p) => Math.min(1, Math.max(0, (p ? 0.65 : 0.4) + (rand() - 0.5) * 0.6)));
    const full = rocCurve(scores, positive, "x");
    // The full curve, rebuilt without simplifying, has one point per distinct score.
    const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
    const pos = positive.filter(Boolean).length;
    const raw = [{ fpr: 0, tpr: 0 }];
    let tp = 0;
    let fp = 0;
    for (const [, i] of order) {
      if (positive[i]) tp++;
      else fp++;
      raw.push({ fpr: fp / (n - pos), tpr: tp / pos });
    }
    expect(full.points.length).toBeLessThan(raw.length / 10);
    const stored = full.points;
    // Distance of a point to the stored polyline (its nearest segment).
    const toSegment = (p: { fpr: number; tpr: number }, a: { fpr: number; tpr: number }, b: { fpr: number; tpr: number }) => {
      const dx = b.fpr - a.fpr;
      const dy = b.tpr - a.tpr;
      const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((p.fpr - a.fpr) * dx + (p.tpr - a.tpr) * dy) / (dx * dx + dy * dy)));
      return Math.hypot(p.fpr - a.fpr - t * dx, p.tpr - a.tpr - t * dy);
    };
    const off = (p: { fpr: number; tpr: number }) => Math.min(...stored.slice(1).map((b, j) => toSegment(p, stored[j]!, b)));
    const worst = Math.max(...raw.map(off));
    // Within a pixel of the 300 px chart, plus the rounding to 1e-3.
    expect(worst).toBeLessThan(1 / 300 + 1e-3);
  });
});

describe("log loss", () => {
  it("is the mean negative log-probability of the true class", () => {
    const p = rows([0.5, 0.25, 0.25], [0.1, 0.8, 0.1]);
    // Probabilities arrive as float32, so agreement is to float32 precision.
    expect(logLoss(p, [0, 1], 3)).toBeCloseTo(-(Math.log(0.5) + Math.log(0.8)) / 2, 6);
  });

  it("stays finite when the true class got probability 0: float32's epsilon, as scikit-learn clips float32 predictions", () => {
    const v = logLoss(rows([1, 0, 0]), [2], 3);
    // Clipped to [eps, eps, 1 - eps] and renormalised by its sum 1 + eps (see sklearn-agreement.test.ts).
    expect(v).toBeCloseTo(-Math.log(2 ** -23 / (1 + 2 ** -23)), 9);
    expect(v).toBeCloseTo(15.9424, 4);
  });
});

describe("the whole split", () => {
  it("puts every metric together and macro AUC averages only the classes with a defined AUC", () => {
    const p = rows([0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.8, 0.1]);
    const m = computeMetrics(p, [0, 0, 1, 1], classes, 2);
    expect(m.count).toBe(4);
    expect(m.accuracy).toBe(1);
    expect(m.topK).toEqual({ k: 2, accuracy: 1 });
    expect(m.roc[2]!.auc).toBeNull(); // class c never occurs
    expect(m.roc[0]!.auc).toBe(1);
    expect(m.macroAuc).toBe(1);
    expect(m.macro.f1).toBe(1);
  });
});

describe("score", () => {
  const formula = { kind: "linear" as const, metric: "macroF1" as const, baseline: 0.2, target: 0.9 };
  const withF1 = (f1: number) => ({ macro: { f1, precision: 0, recall: 0 } }) as Parameters<typeof computeScore>[0];

  it("maps macro-F1 linearly from the baseline (0) to the target (100)", () => {
    expect(computeScore(withF1(0.55), formula).score).toBeCloseTo(50, 10);
  });

  it("clips below the baseline and above the target", () => {
    expect(computeScore(withF1(0.1), formula).score).toBe(0);
    expect(computeScore(withF1(0.97), formula).score).toBe(100);
  });

  it("records the formula's inputs", () => {
    const s = computeScore(withF1(0.55), formula);
    expect(s).toMatchObject({ metric: "macroF1", value: 0.55, baseline: 0.2, target: 0.9 });
  });

  it("scores a run without metrics (a diverged model) as 0", () => {
    expect(computeScore(null, formula).score).toBe(0);
  });
});
