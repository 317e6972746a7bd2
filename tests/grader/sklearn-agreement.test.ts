import { describe, expect, it } from "vitest";
import { computeMetrics } from "@/grader/metrics/compute-metrics";
import { confusionMatrix } from "@/grader/metrics/confusion-matrix";
import { LOG_LOSS_EPSILON, logLoss } from "@/grader/metrics/log-loss";
import { averages, perClassMetrics } from "@/grader/metrics/per-class";

/**
 * The report's metrics against scikit-learn's, on small cases with a known answer. The expected numbers
 * were printed by scikit-learn 1.2.1 (numpy 1.24.2, Debian's python3-sklearn) with
 *     /usr/bin/python3 tests/grader/fixtures/sklearn_expected.py
 * and are held here as fixed numbers, so the suite needs no Python. Predictions are float32 (as the
 * grader's are), which scikit-learn computes in float32: log losses agree to float32 precision.
 */

const classes = ["a", "b", "c"];
const rows = (...r: number[][]): Float32Array => Float32Array.from(r.flat());

describe("log loss agrees with scikit-learn 1.2's log_loss on float32 predictions", () => {
  it("clips at float32's machine epsilon, scikit-learn's np.finfo(float32).eps", () => {
    expect(LOG_LOSS_EPSILON).toBe(Math.fround(1.1920929e-7));
  });

  const cases: { name: string; probs: number[][]; labels: number[]; sklearn: number }[] = [
    { name: "ordinary predictions", probs: [[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]], labels: [0, 1], sklearn: 0.45814535848649696 },
    { name: "a confident wrong prediction (probability 0 for the true class)", probs: [[1, 0, 0]], labels: [2], sklearn: 15.942385272088039 },
    {
      name: "a confident wrong prediction among good ones",
      probs: [[0.7, 0.2, 0.1], [0, 1, 0], [0.3, 0.3, 0.4], [0.98, 0.01, 0.01]],
      labels: [0, 0, 2, 0],
      sklearn: 4.308888409471111,
    },
    { name: "certain and right (never exactly 0)", probs: [[1, 0, 0], [0, 1, 0]], labels: [0, 1], sklearn: 2.3841860752327643e-7 },
    { name: "rows that do not sum to 1 (renormalised)", probs: [[0.9, 0.9, 0.1], [0.2, 0.1, 0.1]], labels: [0, 2], sklearn: 1.066754401343271 },
  ];
  for (const c of cases) {
    it(`on ${c.name}`, () => {
      const ours = logLoss(rows(...c.probs), c.labels, 3);
      // float32 arithmetic on scikit-learn's side: agreement to about 1e-7 relative.
      expect(Math.abs(ours - c.sklearn)).toBeLessThanOrEqual(Math.max(1e-6 * c.sklearn, 1e-12));
    });
  }
});

describe("precision, recall and F1 agree with scikit-learn's precision_recall_fscore_support (zero_division default)", () => {
  const cases: {
    name: string;
    labels: number[];
    predicted: number[];
    perClass: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
    macro: [number, number, number];
    weighted: [number, number, number];
  }[] = [
    {
      name: "a mixed split",
      labels: [0, 0, 0, 1, 1, 2],
      predicted: [0, 0, 1, 1, 1, 0],
      perClass: { precision: [2 / 3, 2 / 3, 0], recall: [2 / 3, 1, 0], f1: [2 / 3, 0.8, 0], support: [3, 2, 1] },
      macro: [0.4444444444444444, 0.5555555555555555, 0.48888888888888893],
      weighted: [0.5555555555555555, 0.6666666666666666, 0.6],
    },
    {
      name: "a class absent from the split and never predicted (left out of the macro average)",
      labels: [0, 1, 1],
      predicted: [0, 1, 0],
      perClass: { precision: [0.5, 1, 0], recall: [1, 0.5, 0], f1: [2 / 3, 2 / 3, 0], support: [1, 2, 0] },
      macro: [0.75, 0.75, 0.6666666666666666],
      weighted: [0.8333333333333334, 0.6666666666666666, 0.6666666666666666],
    },
    {
      name: "a class absent from the split but predicted (in the macro average with 0)",
      labels: [0, 0],
      predicted: [0, 2],
      perClass: { precision: [1, 0, 0], recall: [0.5, 0, 0], f1: [2 / 3, 0, 0], support: [2, 0, 0] },
      macro: [0.5, 0.25, 0.3333333333333333],
      weighted: [1, 0.5, 0.6666666666666666],
    },
    {
      name: "a class present but never predicted (precision 0, not NaN)",
      labels: [0, 1, 2, 2],
      predicted: [0, 1, 1, 1],
      perClass: { precision: [1, 1 / 3, 0], recall: [1, 1, 0], f1: [1, 0.5, 0], support: [1, 1, 2] },
      macro: [0.4444444444444444, 0.6666666666666666, 0.5],
      weighted: [0.3333333333333333, 0.5, 0.375],
    },
  ];
  for (const c of cases) {
    it(`on ${c.name}`, () => {
      const cm = confusionMatrix(c.labels, c.predicted, 3);
      const pc = perClassMetrics(cm, classes);
      (["precision", "recall", "f1", "support"] as const).forEach((key) =>
        pc.forEach((row, i) => expect(row[key]).toBeCloseTo(c.perClass[key][i]!, 12)),
      );
      const { macro, weighted } = averages(pc, cm);
      expect([macro.precision, macro.recall, macro.f1].map((x) => +x.toFixed(12))).toEqual(c.macro.map((x) => +x.toFixed(12)));
      expect([weighted.precision, weighted.recall, weighted.f1].map((x) => +x.toFixed(12))).toEqual(c.weighted.map((x) => +x.toFixed(12)));
    });
  }
});

describe("AUC and top-k against scikit-learn where every class occurs (scores with ties)", () => {
  const p = rows([0.7, 0.2, 0.1], [0.4, 0.4, 0.2], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.3, 0.4], [0.5, 0.1, 0.4]);
  const m = computeMetrics(p, [0, 1, 1, 2, 0, 2], classes, 2);

  it("gives roc_auc_score's macro one-vs-rest AUC", () => {
    expect(m.macroAuc).toBeCloseTo(0.8958333333333334, 12);
  });

  it("counts a true class tied for the k-th place as a hit, where top_k_accuracy_score's order decides (0.8333)", () => {
    // Row 5: [0.3, 0.3, 0.4] with true class a, tied with b for second. scikit-learn ranks tied classes
    // by reversed index (b before a) and misses it; the report counts it (fewer than k classes score
    // strictly higher), the rule the report page states.
    expect(m.topK.accuracy).toBe(1);
  });
});
