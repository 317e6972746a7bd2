import type { PerClassMetrics } from "../report/schema";

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Precision, recall, F1 and support per class from a confusion matrix. A ratio with a zero denominator is 0
 * (scikit-learn's `zero_division=0`): a class never predicted has precision 0, an absent class has recall 0.
 */
export function perClassMetrics(confusion: number[][], classes: string[]): PerClassMetrics[] {
  const k = classes.length;
  return classes.map((className, c) => {
    const tp = confusion[c]![c]!;
    let predicted = 0;
    let support = 0;
    for (let j = 0; j < k; j++) {
      predicted += confusion[j]![c]!;
      support += confusion[c]![j]!;
    }
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { className, precision, recall, f1, support };
  });
}

/**
 * Macro average over the classes that occur in the split's labels or predictions (scikit-learn's default label set):
 * a class that is neither present nor predicted does not drag the average down. Weighted average: by support.
 */
export function averages(perClass: PerClassMetrics[], confusion: number[][]): { macro: Averages; weighted: Averages } {
  const k = perClass.length;
  const involved = perClass.filter((_, c) => {
    let predicted = 0;
    for (let j = 0; j < k; j++) predicted += confusion[j]![c]!;
    return perClass[c]!.support > 0 || predicted > 0;
  });
  const mean = (xs: PerClassMetrics[], key: keyof Averages): number =>
    xs.length ? xs.reduce((a, x) => a + x[key], 0) / xs.length : 0;
  const total = perClass.reduce((a, x) => a + x.support, 0);
  const weightedMean = (key: keyof Averages): number =>
    total ? perClass.reduce((a, x) => a + x[key] * x.support, 0) / total : 0;
  return {
    macro: { precision: mean(involved, "precision"), recall: mean(involved, "recall"), f1: mean(involved, "f1") },
    weighted: { precision: weightedMean("precision"), recall: weightedMean("recall"), f1: weightedMean("f1") },
  };
}
