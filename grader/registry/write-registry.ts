import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs";
import { summarizeModel } from "../model/summarize-model";
import { baseSummarySchema, registryIndexSchema, type BaseSummary } from "./base-summary";

/** The committed index the browser and the grader read (grader/registry/bases.json). */
export function registryIndexPath(): string {
  return path.resolve(process.cwd(), "grader/registry/bases.json");
}

/** Builds a base's registry summary from the loaded model (layer table, parameters, FLOPs, output shape). */
export function summarizeBase(
  model: LayersModel,
  meta: Pick<BaseSummary, "name" | "description" | "modelPath" | "preprocessing" | "source">,
): BaseSummary {
  const s = summarizeModel(model);
  if (s.inputShape.length !== 3 || s.inputShape.some((d) => d <= 0)) {
    throw new Error(`A base must take images [h, w, c]; this model takes [${s.inputShape.join(", ")}]`);
  }
  return baseSummarySchema.parse({
    ...meta,
    inputShape: s.inputShape,
    outputShape: s.outputShape,
    layers: s.layers,
    totalParams: s.totalParams,
    flopsPerImage: s.flopsPerImage,
  });
}

/** Adds or replaces one base in the index (by name), keeping the others. */
export async function upsertBase(summary: BaseSummary, indexPath = registryIndexPath()): Promise<void> {
  const index = registryIndexSchema.parse(JSON.parse(await readFile(indexPath, "utf8")));
  const bases = index.bases.filter((b) => b.name !== summary.name);
  bases.push(summary);
  bases.sort((a, b) => a.name.localeCompare(b.name));
  await writeFile(indexPath, `${JSON.stringify({ bases }, null, 2)}\n`);
}
