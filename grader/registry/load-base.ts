import path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs";
import { env } from "@/env";
import type { Tf } from "../backend/load-tf";
import { UnknownBaseModelError } from "../errors";
import { loadLayersModelFromDir } from "../model/layers-model-io";
import type { BaseSummary } from "./base-summary";
import { findBase, registeredBases } from "./registered-bases";

/** Resolves a registry `modelPath` (repo-relative or absolute); a training child runs outside the repo, see env.ts. */
export function baseDir(summary: BaseSummary): string {
  return path.resolve(env.TG_PROJECT_ROOT ?? process.cwd(), summary.modelPath);
}

/**
 * Loads a registered pretrained base with its weights. Each job gets its own copy (the caller disposes it), so
 * fine-tuning one submission never changes the weights another sees.
 * @throws UnknownBaseModelError
 */
export async function loadBase(tf: Tf, name: string, bases: BaseSummary[] = registeredBases()): Promise<{ model: LayersModel; summary: BaseSummary }> {
  const summary = findBase(name, bases);
  if (!summary) throw new UnknownBaseModelError(name, bases.map((b) => b.name));
  const model = await loadLayersModelFromDir(tf, baseDir(summary));
  return { model, summary };
}
