import path from "node:path";
import { z } from "zod";
import { modelUploadLimitsSchema, type ModelUploadLimits } from "../assignment/schema";
import { ModelArchiveError } from "../errors";
import { openZipSafely, type SafeZip, type ZipEntryInfo, type ZipLimits } from "../archive/read-zip";
import { parseModelJson } from "./parse-model-json";

/** One group of a TF.js weights manifest: shard files whose bytes, concatenated, hold these weights in order. */
const weightGroupSchema = z.object({
  paths: z.array(z.string().min(1)),
  weights: z.array(z.object({
    name: z.string(),
    shape: z.array(z.number().int().min(0)),
    dtype: z.string(),
    quantization: z.object({ dtype: z.string() }).passthrough().optional(),
  }).passthrough()),
}).passthrough();

export const weightsManifestSchema = z.array(weightGroupSchema);
export type WeightsManifest = z.infer<typeof weightsManifestSchema>;

/** The shape of a TF.js Layers `model.json`, checked before tf ever sees it. */
export const modelJsonSchema = z.object({
  modelTopology: z.record(z.unknown()),
  weightsManifest: weightsManifestSchema.min(1),
  format: z.string().optional(),
}).passthrough();

/** Bytes per stored element, by dtype (a quantized weight is stored in its quantization dtype). */
const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** The model's upload caps as archive-reader limits. */
export function modelZipLimits(limits: ModelUploadLimits = modelUploadLimitsSchema.parse({})): ZipLimits {
  return { maxEntries: limits.maxEntries, maxTotalBytes: limits.maxInflatedBytes, maxEntryBytes: limits.maxEntryBytes, maxRatio: limits.maxRatio };
}

/** The archive's model.json: the shallowest entry of that name (a zipped folder puts it one level down). */
export function findModelJson<T extends { name: string; isDirectory?: boolean }>(entries: readonly T[]): T | undefined {
  return entries
    .filter((e) => !e.isDirectory && path.posix.basename(e.name) === "model.json")
    .sort((a, b) => a.name.length - b.name.length)[0];
}

const bytes = (n: number): string => `${n.toLocaleString("en-US")} bytes`;

/**
 * Every weight group's shard files must hold exactly the bytes its weights need. TF.js concatenates the shards and
 * slices weights off in manifest order, so a shard longer than its manifest says silently shifts every later
 * weight, and a shorter one fails deep inside tf; both are refused here, naming the files.
 * @param sizeOf the size of a shard path, or undefined when it is missing
 * @throws ModelArchiveError
 */
export function checkWeightShards(manifest: WeightsManifest, sizeOf: (p: string) => number | undefined): void {
  for (const [g, group] of manifest.entries()) {
    let expected = 0;
    for (const w of group.weights) {
      const dtype = w.quantization?.dtype ?? w.dtype;
      const per = BYTES_PER_ELEMENT[dtype];
      if (per === undefined) throw new ModelArchiveError(`The weight "${w.name}" in model.json has dtype "${dtype}", which cannot be graded`);
      expected += w.shape.reduce((a, d) => a * d, 1) * per;
    }
    let actual = 0;
    for (const p of group.paths) {
      const n = sizeOf(p);
      if (n === undefined) throw new ModelArchiveError(`The weight file "${p}" named in model.json is missing`);
      actual += n;
    }
    if (actual !== expected) {
      const files = group.paths.map((p) => `"${p}"`).join(", ");
      const how = actual > expected ? "longer" : "shorter";
      throw new ModelArchiveError(
        `The weight file${group.paths.length === 1 ? "" : "s"} ${files} (weight group ${g + 1} of model.json) hold${group.paths.length === 1 ? "s" : ""} ${bytes(actual)}, ` +
          `but the manifest's weights need ${bytes(expected)}: a shard ${how} than its manifest would shift or lose weights. Save the model again and upload that.`,
      );
    }
  }
}

/** What the web process learns from an uploaded model zip without holding any weights. */
export interface ModelArchiveSummary {
  /** The text of model.json (its layers still to be checked against the allow-list). */
  modelJson: string;
  entries: number;
  inflatedBytes: number;
}

/**
 * Submit-time check of a stored model zip, in bounded memory: the central directory against the assignment's caps
 * (entries, declared sizes, ratio), `model.json` read up to `maxModelJsonBytes`, its weight shards' sizes against
 * the manifest, then every other entry inflated and thrown away so that bytes actually inflated are counted against
 * the same caps. No weight is kept: the grader loads them from the stored zip.
 * @throws ModelArchiveError
 */
export async function inspectModelArchive(file: string, limits: ModelUploadLimits): Promise<ModelArchiveSummary> {
  const zip = await openZipSafely(file, modelZipLimits(limits), (m) => new ModelArchiveError(m));
  try {
    const jsonEntry = findModelJson(zip.entries);
    if (!jsonEntry) throw new ModelArchiveError("The archive has no model.json (zip the folder that model.save() or tensorflowjs_converter wrote).");
    const modelJson = (await readModelJson(zip, jsonEntry, limits.maxModelJsonBytes)).toString("utf8");
    const manifest = manifestOf(modelJson);
    if (manifest) checkWeightShards(manifest, shardSizes(zip.entries, jsonEntry));
    for (const entry of zip.entries) if (entry !== jsonEntry) await zip.drain(entry);
    return { modelJson, entries: zip.entries.length, inflatedBytes: zip.inflatedBytes };
  } finally {
    zip.close();
  }
}

/** model.json, refused past `maxBytes` from its declared size and again while inflating. */
export async function readModelJson(zip: SafeZip, entry: ZipEntryInfo, maxBytes: number): Promise<Buffer> {
  if (entry.declaredSize > maxBytes) throw new ModelArchiveError(`model.json is ${bytes(entry.declaredSize)}; the limit is ${bytes(maxBytes)} (it holds the topology, not the weights)`);
  return zip.read(entry, maxBytes);
}

/** The weights manifest when model.json has a well-formed one; the grader refuses the rest with its full schema. */
function manifestOf(text: string): WeightsManifest | null {
  const manifest = (parseModelJson(text) as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (manifest === undefined) return null;
  const parsed = weightsManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ModelArchiveError(`model.json's weightsManifest is malformed (${["weightsManifest", ...first.path].join(".")}: ${first.message})`);
  }
  return parsed.data;
}

/** Sizes of the shard paths of a manifest, relative to model.json's folder in the archive (as the grader reads them). */
export function shardSizes(entries: readonly ZipEntryInfo[], jsonEntry: ZipEntryInfo): (p: string) => number | undefined {
  const root = path.posix.dirname(jsonEntry.name) === "." ? "" : `${path.posix.dirname(jsonEntry.name)}/`;
  const byName = new Map(entries.filter((e) => !e.isDirectory).map((e) => [e.name, e.declaredSize]));
  return (p) => byName.get(`${root}${p}`);
}
