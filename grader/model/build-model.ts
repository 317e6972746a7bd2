import type { LayersModel, SymbolicTensor } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import type { SeededRandom } from "../random";
import type { BaseSummary } from "../registry/base-summary";
import { layerNames, type SpecAnalysis } from "../spec/analyze";
import { kerasToLayers } from "../spec/keras-import";
import type { Layer } from "../spec/layers";
import type { Spec } from "../spec/schema";
import { buildLayer } from "./build-layer";

export interface BuiltModel {
  model: LayersModel;
  /** Transfer specs: the pretrained base nested inside `model` (frozen in phase one). */
  base?: LayersModel;
}

/**
 * Builds the TF.js model of a validated spec (the `buildModel(spec)` factory of tfjs-examples). The model takes
 * float pixels on the 0..1 scale and ends in the spec's softmax. Layer names are those of the static analysis.
 * Transfer: input → (base preprocessing) → pretrained base (nested, frozen) → head.
 */
export function buildModel(
  tf: Tf, spec: Spec, analysis: SpecAnalysis, rng: SeededRandom,
  transferBase?: { model: LayersModel; summary: BaseSummary },
): BuiltModel {
  if (spec.kind === "transfer") {
    if (!transferBase) throw new Error("buildModel: a transfer spec needs its loaded base");
    const { model: base, summary } = transferBase;
    const input = tf.input({ shape: [...summary.inputShape], name: "image" });
    let x: SymbolicTensor = input;
    const { scale, offset } = summary.preprocessing;
    if (scale !== 1 || offset !== 0) {
      x = tf.layers.rescaling({ scale, offset, name: "base_preprocessing" }).apply(x) as SymbolicTensor;
    }
    base.trainable = false;
    x = base.apply(x) as SymbolicTensor;
    const names = layerNames(spec.head, summary.layers.map((l) => l.name));
    spec.head.forEach((layer, i) => {
      x = buildLayer(tf, layer, names[i]!, rng).apply(x) as SymbolicTensor;
    });
    return { model: tf.model({ inputs: input, outputs: x, name: "transfer" }), base };
  }
  let layers: Layer[];
  if (spec.kind === "keras") {
    layers = kerasToLayers(spec.model, "model").layers;
  } else {
    layers = spec.layers;
  }
  const names = analysis.layers.map((l) => l.name);
  const model = tf.sequential({ name: spec.kind });
  layers.forEach((layer, i) => {
    const built = buildLayer(tf, layer, names[i]!, rng);
    if (i === 0) {
      // The first layer fixes the input shape; wrap it so every layer type (even activation) accepts it.
      model.add(tf.layers.inputLayer({ inputShape: [...analysis.inputShape], name: "image" }));
    }
    model.add(built);
  });
  return { model };
}
