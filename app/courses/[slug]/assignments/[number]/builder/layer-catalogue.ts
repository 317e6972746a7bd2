import type { LayerType } from "@/grader/spec/schema";

/** How the builder edits one layer parameter. */
export interface FieldSpec {
  key: string;
  label: string;
  kind: "int" | "number" | "activation" | "padding" | "bool";
  /** Left empty, the grader's default applies (shown as the placeholder). */
  optional?: boolean;
  placeholder?: string;
}

const activation: FieldSpec = { key: "activation", label: "activation", kind: "activation" };
const padding: FieldSpec = { key: "padding", label: "padding", kind: "padding" };
const kernel: FieldSpec = { key: "kernelSize", label: "kernel", kind: "int" };
const strides: FieldSpec = { key: "strides", label: "strides", kind: "int", optional: true, placeholder: "1" };

/**
 * The parameters the builder shows per layer type (the allow-list in grader/spec/layers.ts decides
 * what is valid; this only decides what is editable, with square kernels and strides).
 */
export const LAYER_FIELDS: Record<LayerType, FieldSpec[]> = {
  conv2d: [{ key: "filters", label: "filters", kind: "int" }, kernel, strides, padding, activation],
  separableConv2d: [{ key: "filters", label: "filters", kind: "int" }, kernel, strides, padding, { key: "depthMultiplier", label: "depth ×", kind: "int", optional: true, placeholder: "1" }, activation],
  depthwiseConv2d: [kernel, strides, padding, { key: "depthMultiplier", label: "depth ×", kind: "int", optional: true, placeholder: "1" }, activation],
  maxPooling2d: [{ key: "poolSize", label: "pool", kind: "int" }, { ...strides, placeholder: "= pool" }, padding],
  averagePooling2d: [{ key: "poolSize", label: "pool", kind: "int" }, { ...strides, placeholder: "= pool" }, padding],
  globalAveragePooling2d: [],
  globalMaxPooling2d: [],
  batchNormalization: [{ key: "momentum", label: "momentum", kind: "number", optional: true, placeholder: "0.99" }],
  dropout: [{ key: "rate", label: "rate", kind: "number" }],
  flatten: [],
  dense: [{ key: "units", label: "units", kind: "int" }, activation],
  activation: [activation],
  rescaling: [{ key: "scale", label: "scale", kind: "number" }, { key: "offset", label: "offset", kind: "number", optional: true, placeholder: "0" }],
};

/** Human names for the palette. */
export const LAYER_LABELS: Record<LayerType, string> = {
  conv2d: "Conv2D",
  separableConv2d: "SeparableConv2D",
  depthwiseConv2d: "DepthwiseConv2D",
  maxPooling2d: "MaxPooling2D",
  averagePooling2d: "AveragePooling2D",
  globalAveragePooling2d: "GlobalAveragePooling2D",
  globalMaxPooling2d: "GlobalMaxPooling2D",
  batchNormalization: "BatchNormalization",
  dropout: "Dropout",
  flatten: "Flatten",
  dense: "Dense",
  activation: "Activation",
  rescaling: "Rescaling",
};

/** A layer as the form holds it: every value as typed (strings), converted when the spec is built. */
export type LayerDraft = { type: LayerType } & Record<string, string | boolean>;

/** Sensible starting values for a newly added layer. */
export function newLayer(type: LayerType, classes: number): LayerDraft {
  switch (type) {
    case "conv2d":
      return { type, filters: "32", kernelSize: "3", padding: "valid", activation: "relu" };
    case "separableConv2d":
      return { type, filters: "32", kernelSize: "3", padding: "valid", activation: "relu" };
    case "depthwiseConv2d":
      return { type, kernelSize: "3", padding: "valid", activation: "relu" };
    case "maxPooling2d":
    case "averagePooling2d":
      return { type, poolSize: "2", padding: "valid" };
    case "dropout":
      return { type, rate: "0.25" };
    case "dense":
      return { type, units: String(classes), activation: "softmax" };
    case "activation":
      return { type, activation: "relu" };
    case "rescaling":
      return { type, scale: "1" };
    default:
      return { type };
  }
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i;

/** A typed value: numbers become numbers; anything else stays as typed so the schema names the problem. */
export function typedValue(v: string | boolean): unknown {
  if (typeof v === "boolean") return v;
  const t = v.trim();
  if (t === "") return undefined;
  return NUMERIC.test(t) ? Number(t) : t;
}

/** The spec's layer object for a draft (empty optional fields left out so defaults apply). */
export function layerFromDraft(d: LayerDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { type: d.type };
  for (const f of LAYER_FIELDS[d.type]) {
    const v = d[f.key];
    if (v === undefined) continue;
    const typed = typedValue(v);
    if (typed !== undefined) out[f.key] = typed;
  }
  return out;
}

/** The draft for a layer of a stored spec ("submit again from this one"). Pairs show their first value. */
export function draftFromLayer(layer: Record<string, unknown>): LayerDraft | null {
  const type = layer.type as LayerType;
  if (!(type in LAYER_FIELDS)) return null;
  const d: LayerDraft = { type };
  for (const f of LAYER_FIELDS[type]) {
    const v = layer[f.key];
    if (Array.isArray(v)) d[f.key] = String(v[0]);
    else if (typeof v === "number" || typeof v === "string") d[f.key] = String(v);
    else if (typeof v === "boolean") d[f.key] = v;
  }
  return d;
}
