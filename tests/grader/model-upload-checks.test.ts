import { mkdirSync, readFileSync, symlinkSync, writeFileSync, createWriteStream } from "node:fs";
import path from "node:path";
import yazl from "yazl";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { ModelArchiveError } from "@/grader/errors";
import { checkWeightShards } from "@/grader/evaluate/model-archive";
import { loadSubmittedModel } from "@/grader/evaluate/load-submitted-model";
import { saveLayersModelToDir } from "@/grader/model/layers-model-io";
import { tempDataDir } from "./builders";

const dataDir = tempDataDir();
let tf: Tf;

beforeAll(async () => {
  tf = (await loadTf()).tf;
});

/** A small dense model saved as model.save() writes it: model.json + weights.bin (4×3 kernel + 3 biases = 60 bytes). */
async function savedModel(dir: string): Promise<string> {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
  await saveLayersModelToDir(tf, model, dir);
  model.dispose();
  return dir;
}

function zipFolder(dir: string, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const name of ["model.json", "weights.bin"]) z.addBuffer(readFileSync(path.join(dir, name)), `model/${name}`);
    z.outputStream.pipe(createWriteStream(file)).on("close", () => resolve(file)).on("error", reject);
    z.end();
  });
}

describe("evaluate mode refuses weight shards whose length is not what model.json says", () => {
  it("loads the model as saved", async () => {
    const model = await loadSubmittedModel(tf, await savedModel(path.join(dataDir, "sound")));
    expect(model.countParams()).toBe(15);
    model.dispose();
  });

  it("refuses a shard with extra bytes (they would shift every later weight), from a folder and from a zip", async () => {
    const dir = await savedModel(path.join(dataDir, "longer"));
    writeFileSync(path.join(dir, "weights.bin"), Buffer.concat([readFileSync(path.join(dir, "weights.bin")), Buffer.alloc(4)]));
    const message = /"weights\.bin" \(weight group 1 of model\.json\) holds 64 bytes, but the manifest's weights need 60 bytes: a shard longer than its manifest/;
    await expect(loadSubmittedModel(tf, dir)).rejects.toThrow(message);
    await expect(loadSubmittedModel(tf, await zipFolder(dir, path.join(dataDir, "longer.zip")))).rejects.toThrow(message);
  });

  it("refuses a shard that is too short", async () => {
    const dir = await savedModel(path.join(dataDir, "shorter"));
    writeFileSync(path.join(dir, "weights.bin"), readFileSync(path.join(dir, "weights.bin")).subarray(0, 56));
    await expect(loadSubmittedModel(tf, dir)).rejects.toThrow(/holds 56 bytes, but the manifest's weights need 60 bytes: a shard shorter/);
  });

  it("sums a group's shards, and counts quantized weights at their stored dtype", () => {
    const manifest = [{ paths: ["a.bin", "b.bin"], weights: [{ name: "k", shape: [10, 10], dtype: "float32", quantization: { dtype: "uint8" } }, { name: "b", shape: [10], dtype: "float32" }] }];
    expect(() => checkWeightShards(manifest, (p) => (p === "a.bin" ? 100 : 40))).not.toThrow();
    expect(() => checkWeightShards(manifest, (p) => (p === "a.bin" ? 100 : 41))).toThrow(ModelArchiveError);
    expect(() => checkWeightShards(manifest, (p) => (p === "a.bin" ? 100 : undefined))).toThrow(/"b\.bin" named in model\.json is missing/);
  });
});

describe("a model folder given to npm run grade -- --model does not follow symlinks", () => {
  it("refuses a weight file that is a symbolic link to a file outside the folder", async () => {
    const dir = await savedModel(path.join(dataDir, "linked"));
    const outside = path.join(dataDir, "outside.bin");
    writeFileSync(outside, readFileSync(path.join(dir, "weights.bin")));
    const weights = path.join(dir, "weights.bin");
    (await import("node:fs")).rmSync(weights);
    symlinkSync(outside, weights);
    await expect(loadSubmittedModel(tf, dir)).rejects.toThrow(/"weights\.bin" in the model folder is a symbolic link/);
  });

  it("refuses a model.json that is a symbolic link", async () => {
    const real = await savedModel(path.join(dataDir, "real"));
    const dir = path.join(dataDir, "json-link");
    mkdirSync(dir, { recursive: true });
    symlinkSync(path.join(real, "model.json"), path.join(dir, "model.json"));
    writeFileSync(path.join(dir, "weights.bin"), readFileSync(path.join(real, "weights.bin")));
    await expect(loadSubmittedModel(tf, dir)).rejects.toThrow(/"model\.json" in the model folder is a symbolic link/);
  });

  it("refuses a weight path that reaches outside the folder through a linked subfolder", async () => {
    const dir = await savedModel(path.join(dataDir, "subdir-link"));
    const elsewhere = path.join(dataDir, "elsewhere");
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(path.join(elsewhere, "weights.bin"), readFileSync(path.join(dir, "weights.bin")));
    symlinkSync(elsewhere, path.join(dir, "shards"));
    const json = JSON.parse(readFileSync(path.join(dir, "model.json"), "utf8"));
    json.weightsManifest[0].paths = ["shards/weights.bin"];
    writeFileSync(path.join(dir, "model.json"), JSON.stringify(json));
    await expect(loadSubmittedModel(tf, dir)).rejects.toThrow(/"shards\/weights\.bin" lies outside the model folder/);
  });
});
