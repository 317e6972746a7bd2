import { z } from "zod";
import { SpecValidationError, type Issue } from "../errors";
import { jsonShapeIssue } from "./json-shape";
import { describeLayer, duplicateNameIssues, orderLayerGraph, readInboundNodes, type GraphLayer } from "./layer-graph";
import { activationSchema, layerSchema, LAYER_TYPES, type Layer } from "./layers";
import { MAX_KERAS_LAYERS } from "./topology-limits";
import { describeZodIssue, oneOf, shown } from "./zod-messages";

/**
 * Turns a Keras topology — `model.to_json()` of Keras 2.x (Sequential or Functional) or the `config.json` inside a
 * Keras 3 `.keras` file — into the grader's own layer list. Only the allow-listed layers are mapped; `Lambda` and
 * custom classes are refused by name, because running arbitrary Python-defined code is not something we can grade.
 * Functional graphs must be a single chain (the allow-list has no merge layers). Pure: no tf, no node APIs.
 */

/** The architecture extracted from a Keras topology. */
export interface KerasArchitecture {
  /** `[h, w, c]` when the topology declares its input, else undefined. */
  inputShape?: [number, number, number];
  layers: Layer[];
  /** Keras layer names, in the same order as `layers`, so messages can name what the student wrote. */
  kerasNames: string[];
  /** Keras class names (`Dense`, `ReLU`), in the same order as `layers`. */
  kerasClasses: string[];
  /** Where each layer is in the submitted topology (`model.config.layers.3`), in the same order as `layers`. */
  paths: string[];
}

/**
 * What could be read of a topology, problems and all: every problem at once, and the layers that did map (so the
 * assignment's contract — one softmax unit per class — can still be checked while other layers have problems).
 */
export interface KerasReading {
  arch: KerasArchitecture | null;
  issues: Issue[];
  /** The last layer of the chain that is not Dropout/InputLayer, mapped or not: for the class-count check. */
  last?: { name: string; className: string; path: string; units?: unknown; activation?: unknown };
}

const jsonObject = z.record(z.unknown());
type Obj = Record<string, unknown>;

/** Keras layer classes a submitted topology may use (the same allow-list as `cnn` specs, in Keras names). */
export const KERAS_ALLOWED = [
  "InputLayer", "Conv2D", "SeparableConv2D", "DepthwiseConv2D", "MaxPooling2D", "MaxPool2D", "AveragePooling2D",
  "AvgPool2D", "GlobalAveragePooling2D", "GlobalAvgPool2D", "GlobalMaxPooling2D", "GlobalMaxPool2D",
  "BatchNormalization", "Dropout", "Flatten", "Dense", "Activation", "ReLU", "Softmax", "Rescaling",
] as const;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Collector {
  issues: Issue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
}

/** "layer `dense_1` (Dense)": how every message about one Keras layer starts. */
export function kerasLayerLabel(name: string, className: string): string {
  return name ? `layer \`${name}\` (${className})` : `a ${className} layer`;
}

/** "layer `dense_1` (Dense), field `units`: " — the start of a message about one field of one layer. */
export function kerasFieldLabel(name: string, className: string, field: string): string {
  return `${kerasLayerLabel(name, className)}, field \`${field}\`: `;
}

/** The layer being mapped, so its field messages can name it. */
interface At {
  /** `model.config.layers.3.config` */
  cpath: string;
  name: string;
  className: string;
}

const fieldIssue = (at: At, field: string, message: string, c: Collector): void =>
  c.add(`${at.cpath}.${field}`, kerasFieldLabel(at.name, at.className, field) + message);

/** Keras writes `[3, 3]`; TF.js-style specs accept a number or a pair. Returns the pair or records an issue. */
function intPair(v: unknown, field: string, at: At, c: Collector): [number, number] | undefined {
  const arr = typeof v === "number" ? [v, v] : v;
  if (Array.isArray(arr) && arr.length === 2 && arr.every((n) => Number.isInteger(n) && (n as number) > 0)) {
    return [arr[0] as number, arr[1] as number];
  }
  fieldIssue(at, field, v === undefined ? "is missing" : `must be a positive whole number or a pair of them like [3, 3]; got ${shown(v)}`, c);
  return undefined;
}

function activationOf(v: unknown, at: At, c: Collector): z.infer<typeof activationSchema> | undefined {
  const name = isObj(v) && typeof v.class_name === "string" ? v.class_name : v;
  if (name === undefined || name === null) return "linear";
  const parsed = activationSchema.safeParse(typeof name === "string" ? name.toLowerCase() : name);
  if (parsed.success) return parsed.data;
  fieldIssue(at, "activation", `${shown(name)} is not an activation the grader has; use ${oneOf(activationSchema.options)}`, c);
  return undefined;
}

/** The Keras config field each grader layer field comes from, so a message names what the student wrote. */
const KERAS_FIELD: Record<string, string> = {
  kernelSize: "kernel_size", poolSize: "pool_size", depthMultiplier: "depth_multiplier", useBias: "use_bias",
};

function shapeFrom(cfg: Obj): [number, number, number] | undefined {
  const s = cfg.batch_input_shape ?? cfg.batch_shape ?? (Array.isArray(cfg.input_shape) ? [null, ...cfg.input_shape] : undefined);
  if (Array.isArray(s) && s.length === 4 && s.slice(1).every((n) => Number.isInteger(n) && (n as number) > 0)) {
    return [s[1] as number, s[2] as number, s[3] as number];
  }
  return undefined;
}

/** Maps one Keras layer config to a grader layer (before zod validation of the values). */
function mapLayer(className: string, cfg: Obj, at: At, c: Collector): Record<string, unknown> | "input" | undefined {
  const name = typeof cfg.name === "string" ? cfg.name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64) : undefined;
  const safeName = name && /^[A-Za-z]/.test(name) ? name : undefined;
  const cpath = at.cpath;
  if (cfg.data_format !== undefined && cfg.data_format !== null && cfg.data_format !== "channels_last") {
    fieldIssue(at, "data_format", `only "channels_last" is supported; got ${shown(cfg.data_format)}`, c);
    return undefined;
  }
  const dil = cfg.dilation_rate;
  if (dil !== undefined && !(dil === 1 || (Array.isArray(dil) && dil.every((d) => d === 1)))) {
    fieldIssue(at, "dilation_rate", "dilated convolutions are not supported; use dilation_rate 1", c);
  }
  if (cfg.groups !== undefined && cfg.groups !== null && cfg.groups !== 1) {
    fieldIssue(at, "groups", "grouped convolutions are not supported; use groups 1 (or a DepthwiseConv2D)", c);
  }
  const padding = cfg.padding === undefined ? "valid" : cfg.padding;
  const common = { name: safeName };
  switch (className) {
    case "InputLayer":
      return "input";
    case "Conv2D":
      return { ...common, type: "conv2d", filters: cfg.filters, kernelSize: intPair(cfg.kernel_size, "kernel_size", at, c),
        strides: intPair(cfg.strides ?? 1, "strides", at, c), padding,
        activation: activationOf(cfg.activation, at, c), useBias: cfg.use_bias ?? true };
    case "SeparableConv2D":
      return { ...common, type: "separableConv2d", filters: cfg.filters, kernelSize: intPair(cfg.kernel_size, "kernel_size", at, c),
        strides: intPair(cfg.strides ?? 1, "strides", at, c), padding, depthMultiplier: cfg.depth_multiplier ?? 1,
        activation: activationOf(cfg.activation, at, c), useBias: cfg.use_bias ?? true };
    case "DepthwiseConv2D":
      return { ...common, type: "depthwiseConv2d", kernelSize: intPair(cfg.kernel_size, "kernel_size", at, c),
        strides: intPair(cfg.strides ?? 1, "strides", at, c), padding, depthMultiplier: cfg.depth_multiplier ?? 1,
        activation: activationOf(cfg.activation, at, c), useBias: cfg.use_bias ?? true };
    case "MaxPooling2D":
    case "MaxPool2D":
    case "AveragePooling2D":
    case "AvgPool2D":
      return { ...common, type: className.startsWith("Max") ? "maxPooling2d" : "averagePooling2d",
        poolSize: intPair(cfg.pool_size ?? 2, "pool_size", at, c),
        strides: cfg.strides === undefined || cfg.strides === null ? undefined : intPair(cfg.strides, "strides", at, c),
        padding };
    case "GlobalAveragePooling2D":
    case "GlobalAvgPool2D":
    case "GlobalMaxPooling2D":
    case "GlobalMaxPool2D":
      if (cfg.keepdims === true) fieldIssue(at, "keepdims", "keepdims=True is not supported", c);
      return { ...common, type: className.startsWith("GlobalMax") ? "globalMaxPooling2d" : "globalAveragePooling2d" };
    case "BatchNormalization":
      if (cfg.axis !== undefined && !(cfg.axis === -1 || cfg.axis === 3 || (Array.isArray(cfg.axis) && cfg.axis.length === 1 && (cfg.axis[0] === -1 || cfg.axis[0] === 3)))) {
        fieldIssue(at, "axis", "only the channel axis (-1) is supported", c);
      }
      return { ...common, type: "batchNormalization", momentum: cfg.momentum ?? 0.99, epsilon: cfg.epsilon ?? 0.001 };
    case "Dropout":
      return { ...common, type: "dropout", rate: cfg.rate };
    case "Flatten":
      return { ...common, type: "flatten" };
    case "Dense":
      return { ...common, type: "dense", units: cfg.units, activation: activationOf(cfg.activation, at, c),
        useBias: cfg.use_bias ?? true };
    case "Activation":
      return { ...common, type: "activation", activation: activationOf(cfg.activation, at, c) };
    case "ReLU":
      if ((cfg.max_value ?? null) !== null && cfg.max_value !== 6) fieldIssue(at, "max_value", "ReLU supports max_value 6 or none", c);
      if ((cfg.negative_slope ?? 0) !== 0 || (cfg.threshold ?? 0) !== 0) c.add(cpath, `${kerasLayerLabel(at.name, at.className)}: ReLU with negative_slope or threshold is not supported`);
      return { ...common, type: "activation", activation: cfg.max_value === 6 ? "relu6" : "relu" };
    case "Softmax":
      return { ...common, type: "activation", activation: "softmax" };
    case "Rescaling":
      return { ...common, type: "rescaling", scale: cfg.scale, offset: cfg.offset ?? 0 };
    default:
      return undefined;
  }
}

/** The allowed layers are listed once, beside the form (a short list), not inside every message. */
function refuse(className: string, layerName: string, path: string, c: Collector): void {
  const label = kerasLayerLabel(layerName, className);
  if (className === "Sequential" || className === "Functional" || className === "Model") {
    c.add(`${path}.class_name`, `${label} is a model inside the model; the grader reads one flat model: put the inner model's layers in its place`);
  } else if (className === "Lambda") {
    c.add(`${path}.class_name`, `${label} is a Lambda layer: it runs arbitrary Python code and cannot be graded; rewrite it with the allowed layers`);
  } else {
    c.add(`${path}.class_name`, `${label} is not an allowed layer (custom or unsupported class); use one of the allowed layers instead`);
  }
}

/** The name other layers refer to a layer by: the entry's `name` (Functional), else its config's. */
function layerName(l: Obj): string | undefined {
  if (typeof l.name === "string") return l.name;
  return isObj(l.config) && typeof l.config.name === "string" ? l.config.name : undefined;
}

/** Layer names must be unique in a Sequential too: the grader and TF.js name layers after them. */
function checkUniqueNames(layers: Obj[], path: string, c: Collector): void {
  const graph = layers.map((l, i): GraphLayer => ({ name: layerName(l), label: `layers.${i}`, path: `${path}.${i}`, calls: [], isInput: false }));
  for (const issue of duplicateNameIssues(graph)) c.add(issue.path, issue.message);
}

/**
 * Orders Functional layers along their single chain, or records why the graph is not one. The graph is checked first
 * (names unique, references present, no cycle — see ./layer-graph), so nothing here follows a reference blindly.
 */
function chainOrder(layers: Obj[], path: string, c: Collector): number[] | undefined {
  const graph: GraphLayer[] = [];
  layers.forEach((l, i) => {
    const at = { name: layerName(l), label: `layers.${i}`, path: `${path}.${i}` };
    const calls = readInboundNodes(l.inbound_nodes, at);
    if (Array.isArray(calls)) graph.push({ ...at, calls, isInput: l.class_name === "InputLayer" });
    else c.add(calls.path, calls.message);
  });
  if (c.issues.length) return undefined;
  const checked = orderLayerGraph(graph);
  if ("issues" in checked) {
    for (const issue of checked.issues) c.add(issue.path, issue.message);
    return undefined;
  }
  const children = new Map<string, number>();
  for (const layer of graph) {
    if (layer.calls.length > 1) {
      c.add(`${layer.path}.inbound_nodes`, `${describeLayer(layer)} is called ${layer.calls.length} times (a shared layer); the grader supports single-chain models only`);
      return undefined;
    }
    const parents = layer.calls[0] ?? [];
    if (parents.length > 1) {
      c.add(`${layer.path}.inbound_nodes`, "this layer has several inputs; the grader supports single-chain models only (no merges or shared layers)");
      return undefined;
    }
    for (const p of parents) children.set(p.name, (children.get(p.name) ?? 0) + 1);
  }
  for (const [n, count] of children) {
    if (count > 1) {
      c.add(path, `layer "${n}" feeds ${count} layers; the grader supports single-chain models only (no branches)`);
      return undefined;
    }
  }
  const roots = graph.filter((l) => (l.calls[0] ?? []).length === 0).length;
  if (roots !== 1) {
    c.add(path, `expected exactly one input layer, found ${roots}`);
    return undefined;
  }
  // One root, one parent each, no branch and no cycle: the graph is a single path, and Kahn's order walks it.
  return checked.order;
}

/**
 * True when a value is a Keras topology rather than a spec: `model.to_json()` (`class_name` Sequential/Functional/Model),
 * the same inside `model_config`, or a whole TF.js `model.json` (`modelTopology`). Used to recognise one pasted where
 * a spec was expected.
 */
export function looksLikeKerasTopology(value: unknown): boolean {
  if (!isObj(value) || "kind" in value) return false;
  if (isObj(value.modelTopology)) return true;
  const model = isObj(value.model_config) ? value.model_config : value;
  return model.class_name === "Sequential" || model.class_name === "Functional" || model.class_name === "Model";
}

/**
 * Reads a Keras topology (object or JSON text) into the grader's layer list, collecting every problem it finds
 * instead of stopping at the first; only a topology that cannot be walked at all (not JSON, not a model, a graph that
 * is not one chain) stops early. Paths are relative to `pathPrefix` (e.g. `model.config.layers.3.class_name`).
 */
export function readKerasTopology(topology: unknown, pathPrefix = "model"): KerasReading {
  const c = new Collector();
  const stop = (issues: Issue[]): KerasReading => ({ arch: null, issues });
  let root: unknown = topology;
  if (typeof root === "string") {
    try {
      root = JSON.parse(root);
    } catch {
      return stop([{ path: pathPrefix, message: "is not valid JSON (paste the output of model.to_json(), a TF.js model.json, or the .keras file's config.json)" }]);
    }
  }
  // Before anything walks it: a topology nested absurdly deep (or, from YAML, containing itself) is refused whole.
  const shape = jsonShapeIssue(root, pathPrefix);
  if (shape) return stop([shape]);
  const top = jsonObject.safeParse(root);
  if (!top.success) return stop([{ path: pathPrefix, message: "expected a Keras model topology object" }]);
  let model = top.data;
  let base = pathPrefix;
  // A whole TF.js model.json (tensorflowjs_converter, model.save) carries the topology in {"modelTopology": ...}.
  if (isObj(model.modelTopology)) {
    model = model.modelTopology;
    base = `${base}.modelTopology`;
  }
  // model.to_json() of a whole model may wrap the topology in {"model_config": ...} (the .h5/tfjs layout).
  if (isObj(model.model_config)) {
    model = model.model_config;
    base = `${base}.model_config`;
  }
  const className = model.class_name;
  if (className !== "Sequential" && className !== "Functional" && className !== "Model") {
    return stop([{ path: `${base}.class_name`, message: `the model must be a Sequential or Functional model; got ${shown(className)}` }]);
  }
  // Keras 2.0-2.2 Sequential stored the layer list directly as config.
  const config = model.config;
  const rawLayers: unknown = Array.isArray(config) ? config : isObj(config) ? config.layers : undefined;
  const layersPath = Array.isArray(config) ? `${base}.config` : `${base}.config.layers`;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) {
    return stop([{ path: layersPath, message: "expected a non-empty list of layers" }]);
  }
  if (rawLayers.length > MAX_KERAS_LAYERS) {
    return stop([{ path: layersPath, message: `the model has ${rawLayers.length} layers; a submitted topology may have at most ${MAX_KERAS_LAYERS}` }]);
  }
  const layers: Obj[] = [];
  rawLayers.forEach((l, i) => {
    if (isObj(l) && typeof l.class_name === "string" && isObj(l.config)) layers.push(l);
    else c.add(`${layersPath}.${i}`, "expected {class_name, config}");
  });
  if (c.issues.length) return stop(c.issues);

  if (className === "Sequential") checkUniqueNames(layers, layersPath, c);
  const order = className === "Sequential" ? layers.map((_, i) => i) : chainOrder(layers, layersPath, c);
  if (!order || c.issues.length) return stop(c.issues);

  let inputShape: [number, number, number] | undefined;
  const out: Layer[] = [];
  const kerasNames: string[] = [];
  const kerasClasses: string[] = [];
  const paths: string[] = [];
  let last: KerasReading["last"];
  for (const i of order) {
    const l = layers[i]!;
    const cls = l.class_name as string;
    const cfg = l.config as Obj;
    const path = `${layersPath}.${i}`;
    const lname = typeof cfg.name === "string" ? cfg.name : "";
    if (cls !== "InputLayer" && cls !== "Dropout") last = { name: lname, className: cls, path, units: cfg.units, activation: cfg.activation };
    // Keras 3 marks classes registered outside Keras with registered_name / a non-keras module.
    const foreignModule = typeof l.module === "string" && !l.module.startsWith("keras");
    const registered = typeof l.registered_name === "string" && l.registered_name !== cls;
    if (foreignModule || registered || !(KERAS_ALLOWED as readonly string[]).includes(cls)) {
      refuse(cls, lname, path, c);
      continue;
    }
    const shape = shapeFrom(cfg);
    if (shape && inputShape === undefined) inputShape = shape;
    const at: At = { cpath: `${path}.config`, name: lname, className: cls };
    const before = c.issues.length;
    const mapped = mapLayer(cls, cfg, at, c);
    if (mapped === "input" || mapped === undefined) continue;
    const value = Object.fromEntries(Object.entries(mapped).filter(([, v]) => v !== undefined));
    const parsed = layerSchema.safeParse(value);
    if (parsed.success) {
      if (c.issues.length > before) continue; // a field the schema does not see (dilation, groups) was refused
      out.push(parsed.data);
      kerasNames.push(lname);
      kerasClasses.push(cls);
      paths.push(path);
    } else {
      for (const issue of parsed.error.issues) {
        // Fields already reported while mapping (a bad kernel_size, an unknown activation) are not reported twice.
        const key = issue.path[0];
        const field = key === undefined ? undefined : (KERAS_FIELD[String(key)] ?? String(key));
        if (field && c.issues.some((i) => i.path === `${at.cpath}.${field}`)) continue;
        const message = describeZodIssue(issue, value);
        if (field) fieldIssue(at, field, message, c);
        else c.add(at.cpath, `${kerasLayerLabel(lname, cls)}: ${message}`);
      }
    }
  }
  if (out.length === 0 && c.issues.length === 0) c.add(layersPath, `no trainable layers found (allowed: ${LAYER_TYPES.join(", ")})`);
  return { arch: { inputShape, layers: out, kerasNames, kerasClasses, paths }, issues: c.issues, last };
}

/**
 * Parses a Keras topology (object or JSON text) into the grader's layer list.
 * @throws SpecValidationError with every problem found, paths relative to `pathPrefix`.
 */
export function kerasToLayers(topology: unknown, pathPrefix = "model"): KerasArchitecture {
  const reading = readKerasTopology(topology, pathPrefix);
  if (reading.issues.length || !reading.arch) throw new SpecValidationError(reading.issues);
  return reading.arch;
}
