import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ModelArchiveError, SpecOverBudgetError, SpecValidationError, isUserError } from "@/grader/errors";
import { SpecInputTooLargeError } from "@/grader/spec/input-bounds";
import {
  analyseSubmittedSpec,
  checkUploadedModelJson,
  createAnalysisPool,
  SpecAnalysisLimitError,
  type AnalysisPool,
} from "@/grader/spec/isolated-analysis";
import { MAX_JSON_DEPTH, MAX_SPEC_CHARS } from "@/grader/spec/topology-limits";
import { tinyAssignment } from "./builders";
import { DUPLICATE_NAME_TOPOLOGY } from "./fixtures/hostile-topologies";

const RUNAWAY_ENTRY = path.join(import.meta.dirname, "fixtures", "runaway-analysis-child.ts");
const assignment = tinyAssignment();

const cnn = (units = 3) =>
  JSON.stringify({
    kind: "cnn",
    layers: [{ type: "conv2d", filters: 4, kernelSize: 3, activation: "relu" }, { type: "flatten" }, { type: "dense", units, activation: "softmax" }],
    training: { epochs: 1 },
  });

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the analysis to be refused");
}

const pools: AnalysisPool[] = [];
function pool(opts: Parameters<typeof createAnalysisPool>[0] = {}): AnalysisPool {
  const p = createAnalysisPool(opts);
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("analysing a submitted spec in a child process", () => {
  const real = pool();

  it("returns a valid spec with its defaults applied, parsed again on the web side", async () => {
    const spec = await analyseSubmittedSpec(cnn(), assignment, real);
    expect(spec.kind).toBe("cnn");
    expect(spec.training).toMatchObject({ epochs: 1, optimizer: "adam", batchSize: expect.any(Number) });
  });

  it("answers a spec's own problems with the same SpecValidationError, issues on their fields", async () => {
    const err = await failure(analyseSubmittedSpec(JSON.stringify({ kind: "cnn", layers: [{ type: "conv2d", filters: 0, kernelSize: 3 }], training: { epochs: 1 } }), assignment, real));
    expect(err).toBeInstanceOf(SpecValidationError);
    expect((err as SpecValidationError).issues).toContainEqual(expect.objectContaining({ path: "layers.0.filters" }));
  });

  it("answers a valid spec over the assignment's budget with a SpecOverBudgetError", async () => {
    const big = JSON.stringify({ kind: "cnn", layers: [{ type: "flatten" }, { type: "dense", units: 4096, activation: "relu" }, { type: "dense", units: 3, activation: "softmax" }], training: { epochs: 1 } });
    const err = await failure(analyseSubmittedSpec(big, assignment, real));
    expect(err).toBeInstanceOf(SpecOverBudgetError);
    expect(err.message).toMatch(/parameters/);
  });

  it("ends the duplicate-name Keras topology of issue 10 in a user error, and keeps analysing afterwards", async () => {
    const spec = { kind: "keras", model: JSON.stringify(DUPLICATE_NAME_TOPOLOGY), training: { epochs: 1 } };
    const started = Date.now();
    const err = await failure(analyseSubmittedSpec(spec, assignment, real));
    // Refused by the importer (duplicate names) or cut off by the process's limits: a 422 either way, within seconds.
    expect(isUserError(err)).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(analyseSubmittedSpec(cnn(), assignment, real)).resolves.toMatchObject({ kind: "cnn" });
  });

  it("refuses a spec longer than the limit before any process is started", async () => {
    const fresh = pool();
    const err = await failure(analyseSubmittedSpec(`{"kind":"cnn","name":"${"a".repeat(MAX_SPEC_CHARS)}"}`, assignment, fresh));
    expect(err).toBeInstanceOf(SpecInputTooLargeError);
    expect(err.message).toMatch(/characters long; the limit is 1,000,000/);
    expect(fresh.size()).toBe(0);
  });

  it("refuses brackets nested deeper than the limit, as text or inside the Keras form's topology, in milliseconds", async () => {
    const fresh = pool();
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const started = Date.now();
    for (const spec of [deep, { kind: "keras", model: `{"a":${deep}}`, training: { epochs: 1 } }]) {
      const err = await failure(analyseSubmittedSpec(spec, assignment, fresh));
      expect(err).toBeInstanceOf(SpecInputTooLargeError);
      expect(err.message).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fresh.size()).toBe(0);
  });

  it("refuses an already-parsed value nested deeper than the limit without recursing into it", async () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    const err = await failure(analyseSubmittedSpec({ kind: "keras", model: "{}", training: value }, assignment, pool()));
    expect(err).toBeInstanceOf(SpecInputTooLargeError);
  });

  it("refuses a Lambda layer in an uploaded model.json with the grader's own message", async () => {
    const modelJson = JSON.stringify({
      modelTopology: { class_name: "Sequential", config: { layers: [{ class_name: "Dense", config: {} }, { class_name: "Lambda", config: {} }] } },
      weightsManifest: [],
    });
    const err = await failure(checkUploadedModelJson(modelJson, real));
    expect(isUserError(err)).toBe(true);
    expect((err as ModelArchiveError).code).toBe("model_archive_invalid");
    expect(err.message).toMatch(/"Lambda" \(layers\.1\)/);
    await expect(checkUploadedModelJson("{not json", real)).rejects.toThrow("model.json is not valid JSON");
  });
});

describe("an analysis that runs away costs only its own request", () => {
  it("cuts off an endless loop with 'could not be analysed in time', and the next spec gets a fresh process", async () => {
    const runaway = pool({ entry: RUNAWAY_ENTRY, size: 1, limits: { timeoutMs: 800 } });
    await analyseSubmittedSpec(cnn(), assignment, runaway); // started and warm
    const started = Date.now();
    const err = await failure(analyseSubmittedSpec("loop forever", assignment, runaway));
    expect(err).toBeInstanceOf(SpecAnalysisLimitError);
    expect(err.message).toMatch(/^The spec could not be analysed in time \(it ran past 0\.8 s\)/);
    expect((err as SpecAnalysisLimitError).code).toBe("spec_analysis_timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(analyseSubmittedSpec(cnn(), assignment, runaway)).resolves.toMatchObject({ kind: "cnn" });
  });

  it("ends an array grown until the heap is gone with 'used too much memory', and recovers", async () => {
    const runaway = pool({ entry: RUNAWAY_ENTRY, size: 1, limits: { timeoutMs: 20_000, maxOldSpaceMb: 64 } });
    const err = await failure(analyseSubmittedSpec("grow forever", assignment, runaway));
    expect(err).toBeInstanceOf(SpecAnalysisLimitError);
    expect(err.message).toMatch(/^The spec could not be analysed: it used too much memory \(over 64 MB\)/);
    await expect(analyseSubmittedSpec(cnn(), assignment, runaway)).resolves.toMatchObject({ kind: "cnn" });
  });

  it("answers a process that dies mid-analysis, or an analysis that throws, with a user error", async () => {
    const runaway = pool({ entry: RUNAWAY_ENTRY, size: 1 });
    const died = await failure(analyseSubmittedSpec("exit", assignment, runaway));
    expect(died).toBeInstanceOf(SpecAnalysisLimitError);
    expect(died.message).toMatch(/^The spec could not be analysed: the analysis stopped unexpectedly/);
    const threw = await failure(analyseSubmittedSpec("throw a TypeError", assignment, runaway));
    expect(threw).toBeInstanceOf(SpecAnalysisLimitError);
    await expect(analyseSubmittedSpec(cnn(), assignment, runaway)).resolves.toMatchObject({ kind: "cnn" });
  });

  it("keeps answering other students while one analysis runs away, and queues past the pool's size", async () => {
    const runaway = pool({ entry: RUNAWAY_ENTRY, size: 2, limits: { timeoutMs: 3_000 } });
    await Promise.all([analyseSubmittedSpec(cnn(), assignment, runaway), analyseSubmittedSpec(cnn(), assignment, runaway)]);
    const stuck = failure(analyseSubmittedSpec("loop forever", assignment, runaway));
    const started = Date.now();
    const others = await Promise.all([1, 2, 3, 4].map(() => analyseSubmittedSpec(cnn(), assignment, runaway)));
    expect(others).toHaveLength(4);
    // All answered by the other process while the runaway still held its own (cut off at 3 s).
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await stuck).toBeInstanceOf(SpecAnalysisLimitError);
    expect(runaway.size()).toBeLessThanOrEqual(2);
  });

  it("lets an idle process go after its idle time, and starts a new one for the next spec", async () => {
    const p = pool({ idleMs: 300 });
    await analyseSubmittedSpec(cnn(), assignment, p);
    expect(p.size()).toBe(1);
    await expect.poll(() => p.size(), { timeout: 5_000 }).toBe(0);
    await expect(analyseSubmittedSpec(cnn(), assignment, p)).resolves.toMatchObject({ kind: "cnn" });
  });

  it("cuts off a runaway model.json check the same way", async () => {
    const runaway = pool({ entry: RUNAWAY_ENTRY, size: 1, limits: { timeoutMs: 800 } });
    const err = await failure(checkUploadedModelJson("loop forever", runaway));
    expect(err.message).toMatch(/^The model's model\.json could not be analysed in time/);
  });
});
