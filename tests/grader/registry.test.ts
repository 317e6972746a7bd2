import { writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTf } from "@/grader/backend/load-tf";
import { loadLayersModelFromDir, saveLayersModelToDir } from "@/grader/model/layers-model-io";
import { registryIndexSchema } from "@/grader/registry/base-summary";
import { loadBase } from "@/grader/registry/load-base";
import { summarizeBase, upsertBase } from "@/grader/registry/write-registry";
import { analyzeSpec } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";
import { tempDataDir } from "./builders";

describe("importing a pretrained base into the registry", () => {
  it("summarises a TF.js Layers model folder, registers it, and lets transfer specs use it", async () => {
    const { tf } = await loadTf();
    const dir = path.join(tempDataDir(), "mini-net");
    const input = tf.input({ shape: [32, 32, 3] });
    const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: "same", activation: "relu", name: "block1_conv" }).apply(input);
    const pool = tf.layers.maxPooling2d({ poolSize: 2, name: "block1_pool" }).apply(conv);
    const model = tf.model({ inputs: input, outputs: pool as import("@tensorflow/tfjs").SymbolicTensor });
    await saveLayersModelToDir(tf, model, dir);
    model.dispose();

    const index = path.join(tempDataDir(), "bases.json");
    writeFileSync(index, JSON.stringify({ bases: [] }));
    const loaded = await loadLayersModelFromDir(tf, dir);
    const summary = summarizeBase(loaded, {
      name: "mini-net", description: "test", modelPath: dir, preprocessing: { scale: 2, offset: -1 }, source: "test",
    });
    loaded.dispose();
    await upsertBase(summary, index);
    await upsertBase(summary, index); // upsert by name: still one entry

    const bases = registryIndexSchema.parse(JSON.parse(readFileSync(index, "utf8"))).bases;
    expect(bases).toHaveLength(1);
    expect(bases[0]).toMatchObject({
      name: "mini-net", inputShape: [32, 32, 3], outputShape: [8, 8, 8], totalParams: 3 * 3 * 3 * 8 + 8,
      flopsPerImage: 2 * 27 * 8 * 16 * 16 + 4 * 8 * 8 * 8,
    });
    expect(bases[0]!.layers.map((l) => l.name)).toEqual(["block1_conv", "block1_pool"]);

    const spec = parseSpec({ kind: "transfer", base: "mini-net", head: [{ type: "flatten" }, { type: "dense", units: 3, activation: "softmax" }], training: { epochs: 1 } });
    expect(analyzeSpec(spec, { inputShape: [32, 32, 3] }, bases).outputShape).toEqual([3]);
    const base = await loadBase(tf, "mini-net", bases);
    expect(base.model.outputs[0]!.shape).toEqual([null, 8, 8, 8]);
    base.model.dispose();
  });
});
