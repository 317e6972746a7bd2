import type { ClassWeights } from "../spec/training";

/**
 * Per-class loss weights. `balanced` is scikit-learn's n / (k · count_c) — rare classes weigh more; a class absent
 * from the training data gets 1. Explicit weights are given by class name; unnamed classes get 1.
 * @throws Error naming an unknown class (the caller maps it to a spec validation error)
 */
export function classWeightVector(setting: ClassWeights, classes: string[], counts: number[]): number[] {
  const unknownNames = unknownClassWeightNames(setting, classes);
  if (unknownNames) throw new Error(unknownNames);
  if (setting === "none") return classes.map(() => 1);
  if (setting === "balanced") {
    const n = counts.reduce((a, b) => a + b, 0);
    const present = counts.filter((c) => c > 0).length;
    return counts.map((c) => (c > 0 ? n / (present * c) : 1));
  }
  return classes.map((c) => setting[c] ?? 1);
}

/**
 * The rule for explicit weights: every name must be one of the assignment's classes. Returns what is wrong, in words,
 * or undefined. Pure, so the browser's builder, the submit check and the grader apply the same rule
 * (grader/spec/check-spec.ts).
 */
export function unknownClassWeightNames(setting: unknown, classes: readonly string[]): string | undefined {
  if (typeof setting !== "object" || setting === null || Array.isArray(setting)) return undefined;
  const unknown = Object.keys(setting).filter((k) => !classes.includes(k));
  if (!unknown.length) return undefined;
  return `unknown class${unknown.length > 1 ? "es" : ""} ${unknown.join(", ")}; classes are ${classes.join(", ")}`;
}
