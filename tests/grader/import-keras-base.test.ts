import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { buildModel } from "@/grader/model/build-model";
import { saveLayersModelToDir } from "@/grader/model/layers-model-io";
import { SeededRandom } from "@/grader/random";
import { registryIndexSchema, type BaseSummary } from "@/grader/registry/base-summary";
import { loadBase } from "@/grader/registry/load-base";
import { checkSpecForAssignment } from "@/grader/spec/check-spec";
import { parseSpec } from "@/grader/spec/schema";
import { mobileNetV2Shaped } from "./fixtures/mobilenet-v2-shaped";
import { tinyAssignment } from "./builders";

const run = promisify(execFile);
let dir: string;
let tf: Tf;
let base: BaseSummary;
let output: string;

/** What `tensorflowjs_converter` makes of keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, include_top=False), with our own weights. */
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-import-base-"));
  ({ tf } = await loadTf());
  const model = mobileNetV2Shaped(tf, 96, 0.35);
  await saveLayersModelToDir(tf, model, path.join(dir, "converted"));
  model.dispose();
  await writeFile(path.join(dir, "bases.json"), JSON.stringify({ bases: [] }));
  const cli = await run(process.execPath, [
    path.resolve("node_modules/tsx/dist/cli.mjs"), "grader/cli/models-import.ts", path.join(dir, "converted"),
    "--name", "mobilenet-v2-035-96", "--preprocessing", "minus-one-to-one", "--description", "MobileNetV2 (alpha 0.35) at 96 px, no top",
    "--into", path.join(dir, "store"), "--registry", path.join(dir, "bases.json"),
  ]);
  output = cli.stdout;
  base = registryIndexSchema.parse(JSON.parse(await readFile(path.join(dir, "bases.json"), "utf8"))).bases[0]!;
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("models:import of a converted Keras MobileNetV2 (0.35, 96 px, include_top=False)", () => {
  it("registers the base with Keras's own figures: 410,208 parameters, a 3×3×1280 feature map, about 11 M multiply-adds", () => {
    expect(base.name).toBe("mobilenet-v2-035-96");
    expect(base.inputShape).toEqual([96, 96, 3]);
    expect(base.outputShape).toEqual([3, 3, 1280]);
    // keras.applications reports 410,208 parameters for this model (396,144 trainable, 14,064 batch-norm statistics).
    expect(base.totalParams).toBe(410_208);
    // The MobileNetV2 paper gives 11 M multiply-adds at width 0.35 and 96 px; FLOPs count each as two.
    expect(base.flopsPerImage).toBeGreaterThan(2 * 10.5e6);
    expect(base.flopsPerImage).toBeLessThan(2 * 11.5e6);
    expect(base.preprocessing).toEqual({ scale: 2, offset: -1 });
    expect(base.layers.map((l) => l.name)).toContain("block_16_project");
    expect(output).toMatch(/Registered mobilenet-v2-035-96: input \[96, 96, 3\], output \[3, 3, 1280\], 410,208 parameters, 22\.\d MFLOPs per image/);
  });

  it("takes a transfer recipe on a 96 px assignment, with the budget counting the frozen base and training only the head", () => {
    const assignment = tinyAssignment({
      inputShape: [96, 96, 3],
      budget: { maxParams: 1_000_000, maxFlopsPerImage: 50_000_000, maxEpochs: 10, maxInputSize: 96, wallClockSeconds: 300, maxBatchSize: 256 },
    });
    const recipe = { kind: "transfer", base: base.name, head: [{ type: "globalAveragePooling2d" }, { type: "dense", units: 3, activation: "softmax" }], training: { epochs: 2 } };
    const check = checkSpecForAssignment(recipe, assignment, [base]);
    expect(check.issues).toEqual([]);
    expect(check.violations).toEqual([]);
    expect(check.analysis!.totalParams).toBe(410_208 + 1280 * 3 + 3);
    expect(check.analysis!.trainableParams).toBe(1280 * 3 + 3);
    // The same base on the 32 px Lesson 6 images is refused, with the size to use.
    const small = checkSpecForAssignment(recipe, tinyAssignment({ inputShape: [32, 32, 3] }), [base]);
    expect(JSON.stringify([...small.issues, ...small.violations])).toMatch(/96x96x3 but this assignment's images are 32x32x3|larger than the 32x32 allowed/);
  });

  it("loads from the store and predicts through a new head", async () => {
    const loaded = await loadBase(tf, base.name, [base]);
    const spec = parseSpec({ kind: "transfer", base: base.name, head: [{ type: "globalAveragePooling2d" }, { type: "dense", units: 3, activation: "softmax" }], training: { epochs: 2 } });
    const { model } = buildModel(tf, spec, checkSpecForAssignment(spec, tinyAssignment({ inputShape: [96, 96, 3], budget: { ...tinyAssignment().budget, maxInputSize: 96, maxFlopsPerImage: 1e9, maxParams: 1e7 } }), [base]).analysis!, new SeededRandom(1), loaded);
    const probs = tf.tidy(() => model.predict(tf.randomUniform([2, 96, 96, 3])) as import("@tensorflow/tfjs").Tensor);
    expect(probs.shape).toEqual([2, 3]);
    const sums = (await probs.sum(1).array()) as number[];
    sums.forEach((s) => expect(s).toBeCloseTo(1, 4));
    probs.dispose();
    model.dispose();
  });
});
