import { lstat, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import { modelUploadLimitsSchema, type ModelUploadLimits } from "../assignment/schema";
import { ModelArchiveError } from "../errors";
import { openZipSafely, isUnsafePath, type SafeZip } from "../archive/read-zip";
import { loadLayersModelFromFiles, type ModelJson } from "../model/layers-model-io";
import { checkModelLayers } from "./check-model-layers";
import { checkWeightShards, findModelJson, modelJsonSchema, modelZipLimits, readModelJson, shardSizes } from "./model-archive";

/** Where a model's files come from: a folder on disk or a stored zip, read the same way. */
interface ModelSource {
  modelJson(): Promise<Buffer>;
  /** Size of a weight path relative to model.json, or undefined when it is missing. */
  sizeOf(p: string): Promise<number | undefined>;
  read(p: string): Promise<Uint8Array>;
  close(): void;
}

/**
 * A model folder (the `npm run grade -- --model <dir>` form). Nothing is followed out of it: model.json and every
 * weight path must be regular files, not symlinks, whose real path lies inside the folder.
 */
async function folderSource(dir: string, limits: ModelUploadLimits): Promise<ModelSource> {
  const root = await realpath(dir);
  const inside = async (p: string): Promise<string> => {
    if (isUnsafePath(p)) throw new ModelArchiveError(`model.json points at an unsafe weight path "${p}"`);
    const file = path.join(dir, p);
    let link;
    try {
      link = await lstat(file);
    } catch {
      throw new ModelArchiveError(p === "model.json" ? "The model folder has no model.json" : `The weight file "${p}" named in model.json is missing`);
    }
    if (link.isSymbolicLink()) throw new ModelArchiveError(`"${p}" in the model folder is a symbolic link: copy the file itself into the folder (links are not followed)`);
    if (!link.isFile()) throw new ModelArchiveError(`"${p}" in the model folder is not a regular file`);
    const real = await realpath(file);
    if (!real.startsWith(root + path.sep)) throw new ModelArchiveError(`"${p}" lies outside the model folder (through a linked folder): refused`);
    return real;
  };
  return {
    async modelJson() {
      const file = await inside("model.json");
      const { size } = await stat(file);
      if (size > limits.maxModelJsonBytes) throw new ModelArchiveError(`model.json is ${size.toLocaleString("en-US")} bytes; the limit is ${limits.maxModelJsonBytes.toLocaleString("en-US")} (it holds the topology, not the weights)`);
      return readFile(file);
    },
    async sizeOf(p) {
      try {
        return (await stat(await inside(p))).size;
      } catch (e) {
        if (e instanceof ModelArchiveError && /missing/.test(e.message)) return undefined;
        throw e;
      }
    },
    async read(p) {
      return readFile(await inside(p));
    },
    close() {},
  };
}

/** A stored zip: central directory checked against the caps, model.json and the manifest's shards inflated one at a time. */
async function zipSource(file: string, limits: ModelUploadLimits): Promise<ModelSource & { zip: SafeZip }> {
  const zip = await openZipSafely(file, modelZipLimits(limits), (m) => new ModelArchiveError(m));
  const jsonEntry = findModelJson(zip.entries);
  const sizes = jsonEntry ? shardSizes(zip.entries, jsonEntry) : () => undefined;
  const root = jsonEntry && path.posix.dirname(jsonEntry.name) !== "." ? `${path.posix.dirname(jsonEntry.name)}/` : "";
  return {
    zip,
    async modelJson() {
      if (!jsonEntry) throw new ModelArchiveError("The archive has no model.json (expected model.json and its weight files, as written by model.save())");
      return readModelJson(zip, jsonEntry, limits.maxModelJsonBytes);
    },
    async sizeOf(p) {
      if (isUnsafePath(p)) throw new ModelArchiveError(`model.json points at an unsafe weight path "${p}"`);
      return sizes(p);
    },
    async read(p) {
      const entry = zip.entries.find((e) => e.name === `${root}${p}` && !e.isDirectory);
      if (!entry) throw new ModelArchiveError(`The weight file "${p}" named in model.json is missing from the archive`);
      return zip.read(entry);
    },
    close() {
      zip.close();
    },
  };
}

/**
 * Loads a student's trained TF.js Layers model (`model.json` + weight shards, as `model.save()` or
 * `tensorflowjs_converter` write them) from a folder or a .zip of one, within the assignment's upload caps. Every
 * failure is a ModelArchiveError saying what is wrong: no model.json, a graph model instead of a layers model,
 * missing shards or shards whose length is not what the manifest says, symlinks in a folder, unknown
 * (custom/Lambda) layers.
 */
export async function loadSubmittedModel(
  tf: Tf, location: string, limits: ModelUploadLimits = modelUploadLimitsSchema.parse({}),
): Promise<LayersModel> {
  let info;
  try {
    info = await stat(location);
  } catch {
    throw new ModelArchiveError(`The uploaded model was not found at ${path.basename(location)}`);
  }
  const source = info.isDirectory() ? await folderSource(location, limits) : await zipSource(location, limits);
  try {
    let raw: unknown;
    try {
      raw = JSON.parse((await source.modelJson()).toString("utf8"));
    } catch (e) {
      if (e instanceof ModelArchiveError) throw e;
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
    const sizes = new Map<string, number | undefined>();
    for (const group of parsed.data.weightsManifest) for (const p of group.paths) sizes.set(p, await source.sizeOf(p));
    // Before a weight byte is read: a shard longer or shorter than the manifest says would shift later weights.
    checkWeightShards(parsed.data.weightsManifest, (p) => sizes.get(p));
    const readShard = async (p: string): Promise<Uint8Array> => {
      const bytes = await source.read(p);
      if (bytes.byteLength !== sizes.get(p)) throw new ModelArchiveError(`The weight file "${p}" changed size while it was read`);
      return bytes;
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
  } finally {
    source.close();
  }
}
