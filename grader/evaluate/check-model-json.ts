import { ModelArchiveError } from "../errors";
import { checkModelLayers } from "./check-model-layers";
import { parseModelJson } from "./parse-model-json";

/**
 * The `modelTopology` of an uploaded TF.js `model.json` (as `model.save()` or `tensorflowjs_converter` write it),
 * or a ModelArchiveError saying why there is none.
 */
export function modelTopologyOf(text: string): Record<string, unknown> {
  const topology = (parseModelJson(text) as { modelTopology?: unknown } | null)?.modelTopology;
  if (typeof topology !== "object" || topology === null || Array.isArray(topology)) {
    throw new ModelArchiveError("model.json has no modelTopology: upload a TF.js Layers model (model.save() or tensorflowjs_converter)");
  }
  return topology as Record<string, unknown>;
}

/**
 * Submit-time check of an uploaded model's `model.json` text: it parses, has a topology, and every layer (nested
 * models included) is on the allow-list. The web process runs it in an analysis child process (../spec/isolated-analysis.ts).
 * @throws ModelArchiveError
 */
export function checkModelJson(text: string): void {
  checkModelLayers(modelTopologyOf(text));
}
