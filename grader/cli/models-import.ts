/**
 * `npm run models:import -- <dir> --name <name> [--preprocessing unit|minus-one-to-one|0-255] [--into <dir>] [--registry <bases.json>]`
 * Registers a TF.js Layers model folder (`model.json` + shards, e.g. Keras VGG16/MobileNet with include_top=False
 * converted by `tensorflowjs_converter`) as a pretrained base: copies it into the model store and writes its layer
 * table, parameters, FLOPs and output shape to grader/registry/bases.json.
 */
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/env";
import { loadTf } from "../backend/load-tf";
import { loadLayersModelFromDir } from "../model/layers-model-io";
import { summarizeBase, upsertBase } from "../registry/write-registry";
import { cliArgs } from "./args";

const USAGE = "usage: npm run models:import -- <model-dir> --name <name> [--preprocessing unit|minus-one-to-one|0-255] [--description text] [--into <store-dir>] [--registry <bases.json>]";

/** What the base expects, expressed on the 0..1 pixels the grader feeds: x' = x * scale + offset. */
const PREPROCESSING: Record<string, { scale: number; offset: number }> = {
  unit: { scale: 1, offset: 0 },
  "minus-one-to-one": { scale: 2, offset: -1 },
  "0-255": { scale: 255, offset: 0 },
};

async function main(): Promise<void> {
  const { values, positionals } = cliArgs({
    name: { type: "string" },
    preprocessing: { type: "string", default: "unit" },
    description: { type: "string" },
    into: { type: "string" },
    /** Another index than the committed grader/registry/bases.json (tests, or a staging copy). */
    registry: { type: "string" },
  }, USAGE);
  const src = positionals[0];
  if (!src || !values.name) {
    console.error(USAGE);
    process.exit(2);
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(values.name)) throw new Error("--name must be lowercase letters, digits and dashes");
  const preprocessing = PREPROCESSING[values.preprocessing ?? "unit"];
  if (!preprocessing) throw new Error(`--preprocessing must be one of ${Object.keys(PREPROCESSING).join(", ")}`);
  const { tf } = await loadTf();
  const srcDir = path.resolve(src);
  const model = await loadLayersModelFromDir(tf, srcDir);
  const store = path.resolve(values.into ?? path.join(env.DATA_DIR, "models"), values.name);
  if (store !== srcDir) await cp(srcDir, store, { recursive: true });
  const json = JSON.parse(await readFile(path.join(store, "model.json"), "utf8")) as { generatedBy?: string; convertedBy?: string };
  const summary = summarizeBase(model, {
    name: values.name,
    description: values.description ?? `Imported from ${path.basename(srcDir)}`,
    modelPath: path.relative(process.cwd(), store).startsWith("..") ? store : path.relative(process.cwd(), store),
    preprocessing,
    source: `npm run models:import (${json.convertedBy ?? json.generatedBy ?? "TF.js layers model"})`,
  });
  await upsertBase(summary, values.registry ? path.resolve(values.registry) : undefined);
  model.dispose();
  console.log(
    `Registered ${summary.name}: input [${summary.inputShape.join(", ")}], output [${summary.outputShape.join(", ")}], ` +
    `${summary.totalParams.toLocaleString("en-US")} parameters, ${(summary.flopsPerImage / 1e6).toFixed(1)} MFLOPs per image, ` +
    `${summary.layers.length} layers, stored in ${summary.modelPath}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
