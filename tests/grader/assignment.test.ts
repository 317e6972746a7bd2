import { instructorDatasets } from "@/grader/assignment/schema";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import { analyzeSpec, checkBudget } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";
import { tempDataDir } from "./builders";

describe("Assignment 6 (assignments/lesson-6/assignment.yaml)", () => {
  it("loads with its datasets, budget, score formula, limits, rubric and gradebook weights", async () => {
    const a = await loadAssignment("lesson-6");
    expect(a.number).toBe(6);
    expect(a.inputShape).toEqual([32, 32, 3]);
    expect(instructorDatasets(a).train).toMatchObject({ builtin: "shapes" });
    expect(instructorDatasets(a).heldout).toMatchObject({ builtin: "shapes" });
    expect(a.score).toMatchObject({ kind: "linear", metric: "macroF1" });
    expect(a.rubric.criteria.reduce((s, c) => s + c.maxPoints, 0)).toBe(100);
    const w = a.gradebook.weights;
    expect(w.quiz + w.assignment + w.report).toBeCloseTo(1, 12);
  });

  it("ships reference specs that are valid and within budget (the transfer one on the registered base)", async () => {
    const a = await loadAssignment("lesson-6");
    for (const rel of a.referenceSpecs) {
      const spec = parseSpec(readFileSync(path.join(a.dir!, rel), "utf8"));
      expect(checkBudget(analyzeSpec(spec, a), spec, a)).toEqual([]);
    }
  });

  it("refuses a slug that could leave the assignments folder", async () => {
    await expect(loadAssignment("../etc")).rejects.toThrow(/Invalid assignment slug/);
  });

  it("names every invalid field of a broken assignment file", async () => {
    const root = tempDataDir();
    mkdirSync(path.join(root, "broken"), { recursive: true });
    const good = readFileSync("assignments/lesson-6/assignment.yaml", "utf8");
    writeFileSync(path.join(root, "broken", "assignment.yaml"), good.replace("slug: lesson-6", "slug: broken").replace("baseline: 0.2", "baseline: 0.99"));
    await expect(loadAssignment("broken", root)).rejects.toThrow(/score\.target: target must be above baseline/);
  });
});
