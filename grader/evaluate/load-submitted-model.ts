import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs";
import { z } from "zod";
import type { Tf } from "../backend/load-tf";
import { ModelArchiveError } from "../errors";
import { readZipSafely, DEFAULT_ZIP_LIMITS, isUnsafePath } from "../archive/read-zip";
import { loadLayersModelFromFiles, type ModelJson } from "../model/layers-model-io";
import { checkModelLayers } from "./check-model-layers";

/** The shape of a TF.js Layers `model.json`, checked before tf ever sees it. */
const modelJsonSchema = z.object({
  modelTopology: z.record(z.unknown()),
  weightsManifest: z.array(z.object({
    paths: z.array(z.string().min(1)),
    weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.string() }).passthrough()),
  })).min(1),
  format: z.string().optional(),
}).passthrough();

const MODEL_LIMITS = { ...DEFAULT_ZIP_LIMITS, maxEntries: 1000, maxTotalBytes: 256 * 1024 * 1024, maxEntryBytes: 128 * 1024 * 1024 };

/**
 * Loads a student's trained TF.js Layers model (`model.json` + weight shards, as `model.save()` or
 * `tensorflowjs_converter` write them) from a folder or a .zip of one. Every failure is a ModelArchiveError saying
 * what is wrong: no model.json, a graph model instead of a layers model, missing shards, unknown (custom/Lambda) layers.
 */
export async function loadSubmittedModel(tf: Tf, location: string): Promise<LayersModel> {
  let info;
  try {
    info = await stat(location);
  } catch {
    throw new ModelArchiveError(`The uploaded model was not found at ${path.basename(location)}`);
  }
  let files: Map<string, Buffer>;
  if (info.isDirectory()) {
    files = new Map();
    try {
      files.set("model.json", await readFile(path.join(location, "model.json")));
    } catch {
      throw new ModelArchiveError("The model folder has no model.json");
    }
  } else {
    files = await readZipSafely(location, MODEL_LIMITS, (m) => new ModelArchiveError(m));
  }
  const jsonName = [...files.keys()].filter((n) => path.posix.basename(n) === "model.json").sort((a, b) => a.length - b.length)[0];
  if (!jsonName) throw new ModelArchiveError("The archive has no model.json (expected model.json and its weight files, as written by model.save())");
  const root = path.posix.dirname(jsonName) === "." ? "" : `${path.posix.dirname(jsonName)}/`;
  let raw: unknown;
  try {
    raw = JSON.parse(files.get(jsonName)!.toString("utf8"));
  } catch {
    throw new ModelArchiveError("model.json is not valid JSON");
  }
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ModelArchiveError(`model.json is not a TF.js Layers model (${first.path.join(".") || "root"}: ${first.message})`);
  }
  if (parsed.data.format && parsed.data.format !== "layers-model") {
    throw new ModelArchiveError(`model.json is a ${parsed.data.format}; only TF.js Layers models (format "layers-model") can be graded — convert with --output_format=tfjs_layers_model`);
  }
  checkModelLayers(parsed.data.modelTopology);
  const readShard = async (p: string): Promise<Uint8Array> => {
    if (isUnsafePath(p)) throw new ModelArchiveError(`model.json points at an unsafe weight path "${p}"`);
    if (info.isDirectory()) {
      try {
        return await readFile(path.join(location, p));
      } catch {
        throw new ModelArchiveError(`The weight file "${p}" named in model.json is missing`);
      }
    }
    const b = files.get(`${root}${p}`);
    if (!b) throw new ModelArchiveError(`The weight file "${p}" named in model.json is missing from the archive`);
    return b;
  };
  try {
    return await loadLayersModelFromFiles(tf, parsed.data as unknown as ModelJson, readShard);
  } catch (e) {
    if (e instanceof ModelArchiveError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown layer: (\w+)/.exec(msg);
    if (unknown) {
      throw new ModelArchiveError(`The model uses the layer "${unknown[1]}", which is custom or not supported by TF.js (Lambda and custom layers cannot be graded)`);
    }
    throw new ModelArchiveError(`The model could not be loaded: ${msg.split("\n")[0]}`);
  }
}
