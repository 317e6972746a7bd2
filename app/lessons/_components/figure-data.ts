import { parseSpec } from "@/grader/spec/schema";
import { analyzeSpec, type LayerAnalysis } from "@/grader/spec/analyze";
import { perClassMetrics } from "@/grader/metrics/per-class";
import { rocCurve } from "@/grader/metrics/roc";

/*
 * The numbers behind the lesson's figures, computed with the grader's own analysis and metrics so
 * that what the lesson teaches is exactly what the grader reports. Pure: no DOM, no React.
 */

export interface CnnFigureData {
  input: number[];
  layers: LayerAnalysis[];
  totalParams: number;
}

/** Layer rows (output shape, parameters) of a cnn spec, for the layer diagram. */
export function cnnFigureData(spec: unknown): CnnFigureData {
  const parsed = parseSpec(spec);
  if (parsed.kind !== "cnn") throw new Error(`The layer diagram needs a "cnn" spec, got "${parsed.kind}"`);
  const [h, w, c] = parsed.inputShape ?? [32, 32, 3];
  if (c !== 1 && c !== 3) throw new Error(`The layer diagram needs 1 or 3 input channels, got ${c}`);
  const analysis = analyzeSpec(parsed, { inputShape: [h, w, c] });
  return { input: analysis.inputShape, layers: analysis.layers, totalParams: analysis.totalParams };
}

export interface ConfusionFigureData {
  classes: string[];
  matrix: number[][];
  rowTotals: number[];
  columnTotals: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  correct: number;
  total: number;
  accuracy: number;
}

/** Per-class precision, recall and F1 of a confusion matrix (rows: actual, columns: predicted). */
export function confusionFigureData(classes: string[], matrix: number[][]): ConfusionFigureData {
  const metrics = perClassMetrics(matrix, classes);
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = classes.map((_, c) => matrix.reduce((a, row) => a + row[c]!, 0));
  const correct = classes.reduce((a, _, c) => a + matrix[c]![c]!, 0);
  const total = rowTotals.reduce((a, b) => a + b, 0);
  return {
    classes,
    matrix,
    rowTotals,
    columnTotals,
    precision: metrics.map((m) => m.precision),
    recall: metrics.map((m) => m.recall),
    f1: metrics.map((m) => m.f1),
    correct,
    total,
    accuracy: total > 0 ? correct / total : 0,
  };
}

export interface RocFigureData {
  points: { fpr: number; tpr: number }[];
  auc: number;
  positives: number;
  negatives: number;
}

/** The ROC curve and AUC of scored binary examples (1 = positive). */
export function rocFigureData(scores: number[], labels: (0 | 1)[]): RocFigureData {
  const curve = rocCurve(scores, labels.map((l) => l === 1), "positive");
  if (curve.auc === null) throw new Error("An ROC curve needs at least one positive and one negative example");
  const positives = labels.filter((l) => l === 1).length;
  return { points: curve.points, auc: curve.auc, positives, negatives: labels.length - positives };
}

/** 0.73529 → "0.74" */
export const fixed2 = (x: number) => x.toFixed(2);
