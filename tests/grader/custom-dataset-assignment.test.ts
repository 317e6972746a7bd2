import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { countingRuleText } from "@/domain/grading/counted-submission";
import { baselineSpecFor } from "@/grader/assignment/baseline-spec";
import { loadAllAssignments, loadAssignment } from "@/grader/assignment/load-assignment";
import { instructorDatasets, isStudentDatasetMode, type AssignmentConfig, type ImprovementScoreFormula } from "@/grader/assignment/schema";
import type { SplitMetrics } from "@/grader/report/schema";
import { improvementScore, improvementScores } from "@/grader/score/improvement-score";
import { checkSpecForAssignment, fittingSpec } from "@/grader/spec/check-spec";
import { parseSpec } from "@/grader/spec/schema";
import { specForClasses } from "@/grader/spec/spec-for-classes";
import { tempDataDir } from "./builders";

/** Split metrics with the given macro-F1 and accuracy; the rest is what the formula does not read. */
function metrics(macroF1: number, accuracy = macroF1): SplitMetrics {
  return {
    count: 100, accuracy, topK: { k: 2, accuracy: 1 }, perClass: [], macro: { precision: macroF1, recall: macroF1, f1: macroF1 },
    weighted: { precision: macroF1, recall: macroF1, f1: macroF1 }, confusionMatrix: [], roc: [], macroAuc: null, logLoss: 1,
  };
}

const formula: ImprovementScoreFormula = { kind: "improvement", metric: "macroF1", baseline: "specs/simple-cnn.yaml", fullMarksAt: 0.15, zeroAt: -0.05 };

describe("the improvement score (kind: improvement)", () => {
  it("maps the improvement over the baseline linearly from zeroAt (0 points) to fullMarksAt (100 points)", () => {
    expect(improvementScore(metrics(0.6), metrics(0.6), formula, "b").score).toBeCloseTo(25, 9); // matching it: 0.05 / 0.20
    expect(improvementScore(metrics(0.7), metrics(0.6), formula, "b").score).toBeCloseTo(75, 9); // +0.10
    expect(improvementScore(metrics(0.75), metrics(0.6), formula, "b").score).toBeCloseTo(100, 9);
    expect(improvementScore(metrics(0.9), metrics(0.6), formula, "b").score).toBe(100); // clipped
    expect(improvementScore(metrics(0.55), metrics(0.6), formula, "b").score).toBeCloseTo(0, 9);
    expect(improvementScore(metrics(0.3), metrics(0.6), formula, "b").score).toBe(0); // clipped
  });

  it("keeps the inputs so the student can check the arithmetic", () => {
    const s = improvementScore(metrics(0.7), metrics(0.6), formula, "baseline-id");
    expect(s.value).toBeCloseTo(0.7, 9);
    expect(s.improvement).toMatchObject({ baselineValue: 0.6, baselineSubmissionId: "baseline-id", zeroAt: -0.05, fullMarksAt: 0.15 });
    expect(s.improvement!.delta).toBeCloseTo(0.1, 9);
    // The metric values that score 0 and 100.
    expect(s.baseline).toBeCloseTo(0.55, 9);
    expect(s.target).toBeCloseTo(0.75, 9);
    expect(s.formula).toContain("0.6");
  });

  it("gives full marks at a perfect metric when the baseline is already within fullMarksAt of 1", () => {
    const s = improvementScore(metrics(0.95), metrics(0.9), formula, "b");
    // full = min(0.15, 1 − 0.9) = 0.1: (0.05 + 0.05) / (0.1 + 0.05)
    expect(s.score).toBeCloseTo(100 * (0.1 / 0.15), 9);
    expect(improvementScore(metrics(1), metrics(0.9), formula, "b").score).toBeCloseTo(100, 9);
    expect(s.target).toBeCloseTo(1, 9);
    // A perfect baseline with zeroAt 0: matching it is full marks, anything less nothing.
    const strict = { ...formula, zeroAt: 0 };
    expect(improvementScore(metrics(1), metrics(1), strict, "b").score).toBe(100);
    expect(improvementScore(metrics(0.99), metrics(1), strict, "b").score).toBe(0);
  });

  it("reads the metric the file names, and counts a diverged run (no metrics) as 0", () => {
    const acc = { ...formula, metric: "accuracy" as const };
    expect(improvementScore(metrics(0.1, 0.8), metrics(0.1, 0.7), acc, "b").improvement!.delta).toBeCloseTo(0.1, 9);
    expect(improvementScore(null, metrics(0.6), formula, "b").score).toBe(0);
  });

  it("scores every split of a report against the same split of the baseline", () => {
    const student = { metrics: { public: metrics(0.7), private: metrics(0.65), all: metrics(0.68) } };
    const base = { metrics: { public: metrics(0.6), private: metrics(0.6), all: metrics(0.6) } };
    const s = improvementScores(student, base, formula, "b");
    expect(s.public.score).toBeCloseTo(75, 9);
    expect(s.private.score).toBeCloseTo(50, 9);
    expect(s.all.score).toBeCloseTo(65, 9);
  });
});

describe("Assignment 6 on your own dataset (assignments/custom-dataset/assignment.yaml)", () => {
  it("loads in datasets: student mode with an improvement score over its reference CNN", async () => {
    const a = await loadAssignment("custom-dataset");
    expect(isStudentDatasetMode(a)).toBe(true);
    expect(a.score).toMatchObject({ kind: "improvement", metric: "macroF1", baseline: "specs/simple-cnn.yaml", fullMarksAt: 0.15 });
    expect(() => instructorDatasets(a)).toThrow(/datasets: student/);
    expect(a.rubric.criteria.reduce((s, c) => s + c.maxPoints, 0)).toBe(100);
    // Its number is its own among all the assignments on disk.
    const all = await loadAllAssignments();
    expect(all.filter((c) => c.number === a.number)).toHaveLength(1);
  });

  it("fits its baseline and transfer recipe into the budget at every input size it offers, sized to a dataset's classes", async () => {
    const a = await loadAssignment("custom-dataset");
    for (const size of a.ownDatasets!.inputSizes!) {
      for (const classes of [2, 7, 20]) {
        const run: AssignmentConfig = { ...a, classes: Array.from({ length: classes }, (_, i) => `c${i}`), inputShape: [size, size, 3] };
        const baseline = await baselineSpecFor(run);
        expect(baseline.name).toMatch(/^Platform baseline/);
        expect(() => fittingSpec(checkSpecForAssignment(baseline, run))).not.toThrow();
        // Grayscale datasets too: the CNN takes one channel.
        expect(() => fittingSpec(checkSpecForAssignment(baseline, { ...run, inputShape: [size, size, 1] }))).not.toThrow();
      }
    }
    const transfer = specForClasses(parseSpec(readFileSync(path.join(a.dir!, "specs/transfer.yaml"), "utf8")) as unknown as Record<string, unknown>, 4)!;
    const run: AssignmentConfig = { ...a, classes: ["a", "b", "c", "d"], inputShape: [32, 32, 3] };
    expect(() => fittingSpec(checkSpecForAssignment(transfer, run))).not.toThrow();
  });

  it("sizes the last Dense layer of a spec (skipping dropout) and leaves the rest as written", () => {
    const spec = { kind: "transfer", base: "fashion-base", head: [{ type: "dense", units: 64 }, { type: "dropout", rate: 0.3 }, { type: "dense", units: 5 }] };
    const sized = specForClasses(spec, 9)!;
    expect(sized.head).toEqual([{ type: "dense", units: 64 }, { type: "dropout", rate: 0.3 }, { type: "dense", units: 9 }]);
    expect(spec.head[2]!.units).toBe(5); // not changed in place
    expect(specForClasses({ kind: "keras", model: {} }, 3)).toBeNull();
    expect(specForClasses({ kind: "cnn", layers: [{ type: "flatten" }] }, 3)).toBeNull();
  });

  it("explains which submission counts without public and private parts of a held-out set", () => {
    const text = countingRuleText("best", { ownData: true });
    expect(text).toMatch(/highest score counts/);
    expect(text).toMatch(/against the platform's baseline/);
    expect(text).not.toMatch(/private|held-out/);
    expect(countingRuleText("best")).toMatch(/private score/);
  });

  it("refuses files that mix the modes or name a baseline that is not a reference spec", async () => {
    const root = tempDataDir();
    const good = readFileSync("assignments/custom-dataset/assignment.yaml", "utf8");
    const write = (name: string, text: string) => {
      mkdirSync(path.join(root, name), { recursive: true });
      writeFileSync(path.join(root, name, "assignment.yaml"), text.replace("slug: custom-dataset", `slug: ${name}`));
    };
    write("no-spec", good.replace("baseline: specs/simple-cnn.yaml", "baseline: specs/missing.yaml"));
    await expect(loadAssignment("no-spec", root)).rejects.toThrow(/score\.baseline: "specs\/missing\.yaml" is not one of referenceSpecs/);
    write("linear", good.replace(/score:\n {2}kind: improvement[\s\S]*?zeroAt: -0\.05\n/, "score: { kind: linear, metric: macroF1, baseline: 0.2, target: 0.9 }\n"));
    await expect(loadAssignment("linear", root)).rejects.toThrow(/score\.kind: an assignment with `datasets: student` is scored as an improvement/);
    const lesson = readFileSync("assignments/lesson-6/assignment.yaml", "utf8");
    write("mixed", lesson.replace("slug: lesson-6", "slug: custom-dataset").replace(/score:\n {2}kind: linear\n {2}metric: macroF1\n {2}baseline: 0\.2\n {2}target: 0\.95\n/, "score: { kind: improvement, metric: macroF1, baseline: specs/simple-cnn.yaml, fullMarksAt: 0.1 }\n"));
    await expect(loadAssignment("mixed", root)).rejects.toThrow(/`kind: improvement` needs `datasets: student`/);
  });
});
