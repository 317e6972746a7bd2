import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { io, LayersModel } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";

/** The parts of a TF.js `model.json` the loader needs (validated by the callers that accept user uploads). */
export interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/**
 * Loads a TF.js Layers model from a folder on disk (`model.json` + weight shards) with any backend — the
 * `file://` handler only exists in tfjs-node, so the files are read here and handed to `tf.io.fromMemory`.
 */
export async function loadLayersModelFromDir(tf: Tf, dir: string): Promise<LayersModel> {
  const json = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8")) as ModelJson;
  return loadLayersModelFromFiles(tf, json, (p) => readFile(path.join(dir, p)));
}

/** Loads from an already-parsed model.json and a reader for its weight shard paths. */
export async function loadLayersModelFromFiles(
  tf: Tf, json: ModelJson, readShard: (p: string) => Promise<Uint8Array>,
): Promise<LayersModel> {
  const specs: io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) shards.push(await readShard(p));
  }
  const total = shards.reduce((a, s) => a + s.byteLength, 0);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    weightData.set(s, at);
    at += s.byteLength;
  }
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
  }));
}

/** Saves a model as `model.json` + `weights.bin` in `dir` (the layout `model.save("file://dir")` writes). */
export async function saveLayersModelToDir(tf: Tf, model: LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = artifacts.weightData;
    const bytes = data === undefined ? new Uint8Array(0)
      : Array.isArray(data) ? new Uint8Array(tf.io.concatenateArrayBuffers(data)) : new Uint8Array(data);
    const json: ModelJson = {
      modelTopology: artifacts.modelTopology as object,
      format: "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFile(path.join(dir, "weights.bin"), bytes);
    await writeFile(path.join(dir, "model.json"), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: bytes.byteLength } };
  }));
}
