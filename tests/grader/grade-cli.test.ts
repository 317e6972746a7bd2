import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gradingReportSchema } from "@/grader/report/schema";
import { tempDataDir } from "./builders";

const tsx = path.resolve("node_modules/.bin/tsx");

function grade(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tsx, ["grader/cli/grade.ts", ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run grade", () => {
  it("grades a spec on Assignment 6, prints a readable summary and writes the report JSON", () => {
    const dir = tempDataDir();
    const spec = path.join(dir, "small.yaml");
    writeFileSync(spec, [
      "kind: cnn",
      "layers:",
      "  - { type: conv2d, filters: 4, kernelSize: 5, strides: 2, activation: relu }",
      "  - { type: globalAveragePooling2d }",
      "  - { type: dense, units: 5, activation: softmax }",
      "training: { epochs: 1, batchSize: 128, learningRate: 0.01 }",
    ].join("\n"));
    const r = grade(["--assignment", "lesson-6", "--spec", spec, "--data-dir", dir, "--seed", "5"]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/status {5}succeeded/);
    expect(r.stdout).toMatch(/held-out {3}1000 images: accuracy/);
    expect(r.stdout).toMatch(/score {6}public [\d.]+, private [\d.]+, all [\d.]+/);
    const out = path.join(dir, "small.report.json");
    expect(existsSync(out)).toBe(true);
    const report = gradingReportSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(report.submission.seed).toBe(5);
  });

  it("explains a rejected spec field by field and exits non-zero", () => {
    const dir = tempDataDir();
    const spec = path.join(dir, "big.json");
    writeFileSync(spec, JSON.stringify({
      kind: "cnn",
      layers: [{ type: "flatten" }, { type: "dense", units: 4096 }, { type: "dense", units: 5, activation: "softmax" }],
      training: { epochs: 99 },
    }));
    const r = grade(["--spec", spec, "--data-dir", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Rejected \(spec_over_budget\)/);
    expect(r.stderr).toMatch(/layers\.1: dense has 12,587,008 parameters/);
    expect(r.stderr).toMatch(/training\.epochs: 99 epochs requested; the budget allows 20/);
  });
});
