import type { AssignmentConfig } from "../assignment/schema";
import { SpecValidationError, UnknownBaseModelError, type Issue } from "../errors";
import type { BaseSummary } from "../registry/base-summary";
import { findBase, registeredBases } from "../registry/registered-bases";
import { kerasToLayers } from "./keras-import";
import { pair, type Layer } from "./layers";
import type { LayerRow } from "./layer-row";
import type { Spec } from "./schema";

/**
 * Static analysis of a spec: output shape, parameters and FLOPs of every layer, computed from shapes alone.
 * PURE — no tf, no node APIs — so the web's live builder shows the same numbers the grader enforces.
 * FLOPs count a multiply-add as 2 operations (forward pass, one image); pooling counts one op per window element.
 */

/** A layer-table row (./layer-row.ts) plus where the layer is in the spec. */
export interface LayerAnalysis extends LayerRow {
  /** Dotted path of the layer in the spec (`layers.3`, `head.1`, `base`), for messages next to the field. */
  path: string;
}

export interface SpecAnalysis {
  layers: LayerAnalysis[];
  totalParams: number;
  trainableParams: number;
  flopsPerImage: number;
  inputShape: number[];
  outputShape: number[];
}

export { checkBudget } from "./check-budget";

const KERAS_BASE_NAMES: Record<Layer["type"], string> = {
  conv2d: "conv2d", separableConv2d: "separable_conv2d", depthwiseConv2d: "depthwise_conv2d",
  maxPooling2d: "max_pooling2d", averagePooling2d: "average_pooling2d",
  globalAveragePooling2d: "global_average_pooling2d", globalMaxPooling2d: "global_max_pooling2d",
  batchNormalization: "batch_normalization", dropout: "dropout", flatten: "flatten", dense: "dense",
  activation: "activation", rescaling: "rescaling",
};

/**
 * Names every layer the way Keras would (`dense`, `dense_1`, `dense_2`, ...) unless the spec names it, keeping names
 * unique. The grader builds its TF.js model with exactly these names.
 */
export function layerNames(layers: Layer[], taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  const counters = new Map<string, number>();
  return layers.map((l) => {
    let name = l.name;
    if (!name || used.has(name)) {
      const base = l.name ?? KERAS_BASE_NAMES[l.type];
      let n = counters.get(base) ?? 0;
      name = n === 0 ? base : `${base}_${n}`;
      while (used.has(name)) name = `${base}_${++n}`;
      counters.set(base, n + 1);
    }
    used.add(name);
    return name;
  });
}

function convOut(size: number, k: number, s: number, padding: "valid" | "same"): number {
  return padding === "same" ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
}

const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * Propagates a shape through one layer. Returns its row, or an issue when the layer cannot take that shape.
 */
function analyzeLayer(layer: Layer, input: number[], name: string, path: string): LayerAnalysis | Issue {
  const row = (outputShape: number[], params: number, flops: number, trainable = params): LayerAnalysis => ({
    name, type: layer.type, outputShape, params, trainableParams: trainable, flops, path,
  });
  const needImage = (): Issue => ({
    path,
    message: `${name} (${layer.type}) needs an image-shaped input [height, width, channels] but receives [${input.join(", ")}]; move it before flatten/global pooling/dense`,
  });
  const spatial = (kh: number, kw: number, sh: number, sw: number, padding: "valid" | "same"): [number, number] | Issue => {
    const [h, w] = input as [number, number, number];
    const oh = convOut(h, kh, sh, padding);
    const ow = convOut(w, kw, sw, padding);
    if (oh < 1 || ow < 1) {
      return { path, message: `${name} (${layer.type}, window ${kh}x${kw}) does not fit its ${h}x${w} input; use padding "same", a smaller window, or fewer downsampling layers before it` };
    }
    return [oh, ow];
  };
  switch (layer.type) {
    case "conv2d":
    case "depthwiseConv2d":
    case "separableConv2d": {
      if (input.length !== 3) return needImage();
      const [kh, kw] = pair(layer.kernelSize);
      const [sh, sw] = pair(layer.strides);
      const out = spatial(kh, kw, sh, sw, layer.padding);
      if (!Array.isArray(out)) return out;
      const [oh, ow] = out;
      const cin = input[2]!;
      if (layer.type === "conv2d") {
        const params = kh * kw * cin * layer.filters + (layer.useBias ? layer.filters : 0);
        return row([oh, ow, layer.filters], params, 2 * kh * kw * cin * layer.filters * oh * ow);
      }
      const cmid = cin * layer.depthMultiplier;
      if (layer.type === "depthwiseConv2d") {
        const params = kh * kw * cmid + (layer.useBias ? cmid : 0);
        return row([oh, ow, cmid], params, 2 * kh * kw * cmid * oh * ow);
      }
      const params = kh * kw * cmid + cmid * layer.filters + (layer.useBias ? layer.filters : 0);
      return row([oh, ow, layer.filters], params, 2 * (kh * kw * cmid + cmid * layer.filters) * oh * ow);
    }
    case "maxPooling2d":
    case "averagePooling2d": {
      if (input.length !== 3) return needImage();
      const [kh, kw] = pair(layer.poolSize);
      const [sh, sw] = pair(layer.strides ?? layer.poolSize);
      const out = spatial(kh, kw, sh, sw, layer.padding);
      if (!Array.isArray(out)) return out;
      return row([out[0], out[1], input[2]!], 0, kh * kw * input[2]! * out[0] * out[1]);
    }
    case "globalAveragePooling2d":
    case "globalMaxPooling2d":
      if (input.length !== 3) return needImage();
      return row([input[2]!], 0, product(input));
    case "batchNormalization": {
      const c = input[input.length - 1]!;
      return row(input, 4 * c, 2 * product(input), 2 * c);
    }
    case "dropout":
      return row(input, 0, 0);
    case "flatten":
      return row([product(input)], 0, 0);
    case "dense": {
      const cin = input[input.length - 1]!;
      const params = cin * layer.units + (layer.useBias ? layer.units : 0);
      return row([...input.slice(0, -1), layer.units], params, 2 * product(input) * layer.units);
    }
    case "activation":
      return row(input, 0, product(input));
    case "rescaling":
      return row(input, 0, 2 * product(input));
  }
}

function analyzeChain(layers: Layer[], input: number[], names: string[], pathOf: (i: number) => string): {
  rows: LayerAnalysis[];
  output: number[];
} {
  const rows: LayerAnalysis[] = [];
  const issues: Issue[] = [];
  let shape = input;
  for (let i = 0; i < layers.length; i++) {
    const r = analyzeLayer(layers[i]!, shape, names[i]!, pathOf(i));
    if ("message" in r) {
      issues.push(r);
      break; // later shapes are meaningless once one layer cannot take its input
    }
    rows.push(r);
    shape = r.outputShape;
  }
  if (issues.length) throw new SpecValidationError(issues);
  return { rows, output: shape };
}

function sum(rows: LayerAnalysis[], key: "params" | "trainableParams" | "flops"): number {
  return rows.reduce((a, r) => a + r[key], 0);
}

/**
 * Computes the layer table, parameters and FLOPs of a spec for an assignment.
 * For `transfer`, the base's rows come from the registry summary; base layers count as trainable only when the
 * fine-tune phase unfreezes them.
 * @throws SpecValidationError when a layer cannot take the shape it receives (message says what to change)
 * @throws UnknownBaseModelError when a transfer spec names an unregistered base
 */
export function analyzeSpec(
  spec: Spec,
  assignment: Pick<AssignmentConfig, "inputShape">,
  bases: BaseSummary[] = registeredBases(),
): SpecAnalysis {
  const inputShape = [...assignment.inputShape];
  if (spec.kind === "transfer") {
    const base = findBase(spec.base, bases);
    if (!base) throw new UnknownBaseModelError(spec.base, bases.map((b) => b.name));
    const unfrozen = spec.fineTune?.unfreezeLast ?? 0;
    const unfrozenNames = new Set(base.layers.slice(Math.max(0, base.layers.length - unfrozen)).map((l) => l.name));
    const baseRows: LayerAnalysis[] = base.layers.map((l) => ({
      ...l, trainableParams: unfrozenNames.has(l.name) ? l.trainableParams : 0, path: "base",
    }));
    const names = layerNames(spec.head, base.layers.map((l) => l.name));
    const head = analyzeChain(spec.head, base.outputShape, names, (i) => `head.${i}`);
    const rows = [...baseRows, ...head.rows];
    return {
      layers: rows,
      totalParams: sum(rows, "params"),
      trainableParams: sum(rows, "trainableParams"),
      flopsPerImage: sum(rows, "flops"),
      inputShape: [...base.inputShape],
      outputShape: head.output,
    };
  }
  let layers: Layer[];
  let names: string[];
  let pathOf: (i: number) => string;
  let declared: number[] | undefined;
  if (spec.kind === "keras") {
    const arch = kerasToLayers(spec.model, "model");
    layers = arch.layers;
    names = layerNames(layers.map((l, i) => ({ ...l, name: sanitize(arch.kerasNames[i]) ?? l.name })));
    pathOf = (i) => arch.paths[i] ?? "model";
    declared = arch.inputShape;
  } else {
    layers = spec.layers;
    names = layerNames(layers);
    pathOf = (i) => `layers.${i}`;
    declared = spec.inputShape;
  }
  const chain = analyzeChain(layers, declared ?? inputShape, names, pathOf);
  return {
    layers: chain.rows,
    totalParams: sum(chain.rows, "params"),
    trainableParams: sum(chain.rows, "trainableParams"),
    flopsPerImage: sum(chain.rows, "flops"),
    inputShape: declared ?? inputShape,
    outputShape: chain.output,
  };
}

function sanitize(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const s = name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64);
  return /^[A-Za-z]/.test(s) ? s : undefined;
}
