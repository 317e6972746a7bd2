import fc from "fast-check";

/**
 * Graph-shaped generators for Keras / TF.js topologies. A scenario starts from a valid single chain (the shape the
 * spec importer accepts), applies one named defect — or none — and is rendered in one of the formats students send.
 * Because the defect is known, tests can say what must happen (which refusal, naming which layers), not only that
 * nothing crashed. `chaos` stacks several defects and junk values, for totality alone.
 */

/** A reference from a layer call to output `tensor` of call `node` of layer `to` (an index, or a name nobody has). */
export interface Ref {
  to: number | string;
  node: number;
  tensor: number;
}

export interface GenLayer {
  name: string;
  cls: string;
  config: Record<string, unknown>;
  /** One entry per call; each the refs that call takes. */
  calls: Ref[][];
  /** A model used as a layer. */
  nested?: GenModel;
  /** Extra fields written on the layer entry as they are (Keras 3 `module`, junk). */
  extra?: Record<string, unknown>;
  /** When set, the layer's `inbound_nodes` is written as this value instead of being rendered from `calls`. */
  rawInbound?: unknown;
}

export interface GenModel {
  kind: "functional" | "sequential";
  layers: GenLayer[];
}

export const DEFECTS = [
  "none", "duplicate", "selfLoop", "cycle", "dangling", "badNode", "multiInbound", "shared", "fanOut", "hugeFanIn",
  "deepNode", "nested", "refusedClass", "emptyCall",
] as const;
export type Defect = (typeof DEFECTS)[number];

/** Defects a Sequential can carry (it has no graph: references mean nothing there). */
const SEQUENTIAL_DEFECTS: readonly Defect[] = ["none", "duplicate", "nested", "refusedClass"];

export type Format = "keras2" | "keras3";

export interface Scenario {
  model: GenModel;
  defect: Defect;
  format: Format;
  /** Names of the chain's non-input layers in data-flow order, for "none". */
  chainNames: string[];
  /** What the defect touched, by listed position after shuffling: for the messages tests expect. */
  at: { layers: number[]; name?: string; fanIn?: number; nesting?: number };
}

/** Allow-listed layers with configs the importer accepts (shapes are not checked by parsing). */
const BODY: readonly { cls: string; config: Record<string, unknown> }[] = [
  { cls: "Conv2D", config: { filters: 4, kernel_size: [3, 3], padding: "same", activation: "relu" } },
  { cls: "SeparableConv2D", config: { filters: 4, kernel_size: [3, 3], padding: "same" } },
  { cls: "MaxPooling2D", config: { pool_size: [2, 2] } },
  { cls: "BatchNormalization", config: {} },
  { cls: "Dropout", config: { rate: 0.25 } },
  { cls: "Flatten", config: {} },
  { cls: "Dense", config: { units: 5, activation: "softmax" } },
  { cls: "Activation", config: { activation: "relu" } },
  { cls: "ReLU", config: {} },
  { cls: "GlobalAveragePooling2D", config: {} },
  { cls: "Rescaling", config: { scale: 1 / 255 } },
];

const INPUT = (name: string): GenLayer => ({ name, cls: "InputLayer", config: { batch_input_shape: [null, 8, 8, 3], dtype: "float32" }, calls: [] });

/** A valid chain: an InputLayer and 1..`max` allow-listed layers, each taking the previous one's output. */
export function chainArb(max = 8): fc.Arbitrary<GenModel> {
  return fc.array(fc.constantFrom(...BODY), { minLength: 1, maxLength: max }).map((body) => ({
    kind: "functional" as const,
    layers: [INPUT("input_1"), ...body.map((b, i): GenLayer => ({
      name: `${b.cls.toLowerCase()}_${i}`, cls: b.cls, config: { ...b.config }, calls: [[{ to: i, node: 0, tensor: 0 }]],
    }))],
  }));
}

/** A valid model of `depth` levels: a chain whose layer may itself be a model (Sequential or Functional). */
export function nestedModel(depth: number, prefix: string): GenModel {
  const inner: GenModel | undefined = depth > 1 ? nestedModel(depth - 1, `${prefix}_in`) : undefined;
  const kind = depth % 2 === 0 ? "sequential" : "functional";
  const layers: GenLayer[] = [
    INPUT(`${prefix}_input`),
    { name: `${prefix}_flatten`, cls: "Flatten", config: {}, calls: [[{ to: 0, node: 0, tensor: 0 }]] },
  ];
  if (inner) layers.push({ name: `${prefix}_model`, cls: kind === "sequential" ? "Functional" : "Sequential", config: {}, calls: [[{ to: 1, node: 0, tensor: 0 }]], nested: inner });
  return { kind, layers };
}

const clone = (m: GenModel): GenModel => structuredClone(m);

/** Applies `defect` to a valid chain, with positions drawn from `picks` (each in [0, 1)). */
function applyDefect(base: GenModel, defect: Defect, picks: number[], fanIn: number, nesting: number): { model: GenModel; touched: number[]; name?: string } {
  const model = clone(base);
  const n = model.layers.length;
  const body = (p: number): number => 1 + Math.floor(p * (n - 1)); // a non-input layer
  const any = (p: number): number => Math.floor(p * n);
  const [p0 = 0, p1 = 0.5] = picks;
  switch (defect) {
    case "none":
      return { model, touched: [] };
    case "duplicate": {
      // Two positions; the later takes the earlier's name.
      const i = any(p0);
      const j = any(p1) === i ? (i + 1) % n : any(p1); // a chain has at least two layers
      model.layers[j]!.name = model.layers[i]!.name;
      return { model, touched: [i, j].sort((a, b) => a - b), name: model.layers[i]!.name };
    }
    case "selfLoop": {
      const i = body(p0);
      model.layers[i]!.calls = [[{ to: i, node: 0, tensor: 0 }]];
      return { model, touched: [i], name: model.layers[i]!.name };
    }
    case "cycle": {
      // Layer i takes the output of a later layer j (or of itself when the chain is one layer long).
      const i = body(p0);
      const j = i + Math.floor(p1 * (n - i)); // i itself (a self-loop) only when p1 is near 0 or i is last
      model.layers[i]!.calls = [[{ to: j, node: 0, tensor: 0 }]];
      return { model, touched: [i, j], name: model.layers[i]!.name };
    }
    case "dangling": {
      const i = body(p0);
      model.layers[i]!.calls = [[{ to: "ghost_layer", node: 0, tensor: 0 }]];
      return { model, touched: [i], name: model.layers[i]!.name };
    }
    case "badNode": {
      const i = body(p0);
      model.layers[i]!.calls[0]![0]!.node = 3;
      return { model, touched: [i], name: model.layers[i]!.name };
    }
    case "multiInbound": {
      // A merge layer taking two earlier outputs.
      model.layers.push({ name: "merge", cls: "Add", config: {}, calls: [[{ to: n - 1, node: 0, tensor: 0 }, { to: any(p0) === n - 1 ? 0 : any(p0), node: 0, tensor: 0 }]] });
      return { model, touched: [n], name: "merge" };
    }
    case "shared": {
      // The last layer is called a second time, on its own first output (x = d(d(x))): legal for TF.js.
      const last = model.layers[n - 1]!;
      last.calls.push([{ to: n - 1, node: 0, tensor: 0 }]);
      return { model, touched: [n - 1], name: last.name };
    }
    case "fanOut": {
      const i = any(p0) === n - 1 ? Math.max(0, n - 2) : any(p0);
      model.layers.push({ name: "side_head", cls: "Dense", config: { units: 5 }, calls: [[{ to: i, node: 0, tensor: 0 }]] });
      return { model, touched: [i], name: model.layers[i]!.name };
    }
    case "hugeFanIn": {
      model.layers.push({
        name: "concat", cls: "Concatenate", config: {},
        calls: [Array.from({ length: fanIn }, (_, k) => ({ to: k % n, node: 0, tensor: 0 }))],
      });
      return { model, touched: [n], name: "concat" };
    }
    case "deepNode": {
      const i = body(p0);
      const layer = model.layers[i]!;
      let deep: unknown = [model.layers[i - 1]!.name, 0, 0, {}];
      for (let d = 0; d < 20; d++) deep = [deep];
      layer.rawInbound = [deep];
      return { model, touched: [i], name: layer.name };
    }
    case "nested": {
      const i = body(p0);
      const layer = model.layers[i]!;
      const inner = nestedModel(nesting, `m${i}`);
      model.layers[i] = { name: layer.name, cls: inner.kind === "sequential" ? "Sequential" : "Functional", config: {}, calls: layer.calls, nested: inner };
      return { model, touched: [i], name: layer.name };
    }
    case "emptyCall": {
      // A call that takes nothing, on a layer the next one takes input from (TF.js never creates that node).
      const i = Math.min(body(p0), Math.max(1, n - 2));
      model.layers[i]!.calls = [[]];
      return { model, touched: [i], name: model.layers[i]!.name };
    }
    case "refusedClass": {
      const i = body(p0);
      const layer = model.layers[i]!;
      if (p1 < 0.5) model.layers[i] = { ...layer, cls: "Lambda", config: { function: ["4wEAAAAAAAAA", null, null] } };
      else model.layers[i] = { ...layer, cls: "FancyPool", config: {}, extra: { module: "my_project.layers", registered_name: "MyProject>FancyPool" } };
      return { model, touched: [i], name: layer.name };
    }
  }
}

/** Reorders the listed layers (a Functional's list order carries no meaning; the graph does). */
function shuffle(model: GenModel, perm: number[]): { model: GenModel; position: (old: number) => number } {
  const order = model.layers.map((_, i) => i).sort((a, b) => (perm[a] ?? 0) - (perm[b] ?? 0) || a - b);
  const newIndex = new Map(order.map((old, k) => [old, k]));
  const remap = (r: Ref): Ref => (typeof r.to === "number" ? { ...r, to: newIndex.get(r.to)! } : r);
  const layers = order.map((old) => {
    const l = model.layers[old]!;
    return { ...l, calls: l.calls.map((c) => c.map(remap)) };
  });
  return { model: { ...model, layers }, position: (old) => newIndex.get(old)! };
}

/** One defect (or none) on a valid chain, in a given format, its layers listed in a random order when Functional. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    base: chainArb(),
    sequential: fc.boolean(),
    defect: fc.constantFrom(...DEFECTS),
    format: fc.constantFrom<Format>("keras2", "keras3"),
    picks: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 2, maxLength: 2 }),
    fanIn: fc.oneof(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 200, max: 400 })),
    nesting: fc.integer({ min: 1, max: 10 }),
    perm: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  })
  .map(({ base, sequential, defect: wanted, format, picks, fanIn, nesting, perm }) => {
    const defect = sequential && !SEQUENTIAL_DEFECTS.includes(wanted) ? "none" : wanted;
    const applied = applyDefect(base, defect, picks, fanIn, nesting);
    const chainNames = base.layers.slice(1).map((l) => l.name);
    if (sequential) {
      return { model: { ...applied.model, kind: "sequential" }, defect, format, chainNames, at: { layers: applied.touched, name: applied.name, fanIn, nesting } };
    }
    const { model, position } = shuffle(applied.model, perm);
    const at = { layers: applied.touched.map(position).sort((a, b) => a - b), name: applied.name, fanIn, nesting };
    return { model, defect, format, chainNames, at };
  });

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function keras3Tensor(name: string, r: Ref): unknown {
  return { class_name: "__keras_tensor__", config: { shape: [null, 8], dtype: "float32", keras_history: [name, r.node, r.tensor] } };
}

function refName(model: GenModel, r: Ref): string {
  return typeof r.to === "number" ? (model.layers[r.to]?.name ?? "nobody") : r.to;
}

function renderLayer(model: GenModel, layer: GenLayer, format: Format): Record<string, unknown> {
  const inner = layer.nested ? renderModel(layer.nested, format) : undefined;
  const config = inner ? { ...(inner.config as object), name: layer.name } : { name: layer.name, ...layer.config };
  const entry: Record<string, unknown> = format === "keras3"
    ? { module: layer.nested ? "keras.src.models" : "keras.layers", class_name: layer.cls, config, registered_name: null, ...layer.extra }
    : { class_name: layer.cls, config, ...layer.extra };
  if (model.kind === "functional") {
    entry.name = layer.name;
    entry.inbound_nodes = layer.rawInbound ?? (format === "keras3"
      ? layer.calls.map((c) => ({ args: c.length === 1 ? [keras3Tensor(refName(model, c[0]!), c[0]!)] : [c.map((r) => keras3Tensor(refName(model, r), r))], kwargs: {} }))
      : layer.calls.map((c) => c.map((r) => [refName(model, r), r.node, r.tensor, {}])));
  }
  return entry;
}

/** The model as Keras writes it: `{class_name, config: {name, layers, input_layers, output_layers}}`. */
export function renderModel(model: GenModel, format: Format): Record<string, unknown> {
  const layers = model.layers.map((l) => renderLayer(model, l, format));
  if (model.kind === "sequential") {
    return format === "keras3"
      ? { module: "keras", class_name: "Sequential", config: { name: "sequential", layers }, registered_name: null }
      : { class_name: "Sequential", config: { name: "sequential", layers } };
  }
  const first = model.layers.find((l) => l.cls === "InputLayer") ?? model.layers[0];
  const last = model.layers[model.layers.length - 1];
  const config = {
    name: "functional", layers,
    input_layers: first ? [[first.name, 0, 0]] : [],
    output_layers: last ? [[last.name, 0, 0]] : [],
  };
  return format === "keras3"
    ? { module: "keras.src.models.functional", class_name: "Functional", config, registered_name: null }
    : { class_name: "Functional", config };
}

/** A scenario's topology as submitted: an object or its JSON text, bare or wrapped in `model_config`. */
export const submittedTopologyArb = fc
  .record({ scenario: scenarioArb, asText: fc.boolean(), wrapped: fc.boolean() })
  .map(({ scenario, asText, wrapped }) => {
    const rendered = renderModel(scenario.model, scenario.format);
    const value = wrapped ? { model_config: rendered } : rendered;
    return { scenario, topology: asText ? JSON.stringify(value) : value };
  });

// ---------------------------------------------------------------------------------------------------------------
// Chaos: several defects at once, junk in every slot, deep and self-similar structures. For totality only.

/** Junk a JSON document can hold, biased to values that trip careless code. */
export const junkArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(null, true, 0, -1, 1.5, 1e308, "", "__proto__", "constructor", "toString", "x", "💥", [], {}, [[]]) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 50, max: 400 }).map((d) => {
      let v: unknown = "bottom";
      for (let i = 0; i < d; i++) v = i % 2 ? [v] : { keras_history: v };
      return v;
    }),
  },
);

/** Replaces random slots of a rendered topology with junk (a class name, a config, an inbound node, a ref index). */
export function corrupt(value: unknown, picks: { path: number[]; junk: unknown }[]): unknown {
  const root = structuredClone(value);
  for (const { path, junk } of picks) {
    let parent: unknown = root;
    let key: string | number | undefined;
    for (const step of path) {
      const container = key === undefined ? parent : (parent as Record<string | number, unknown>)[key];
      if (typeof container !== "object" || container === null) break;
      const keys = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
      if (keys.length === 0) break;
      parent = container;
      key = keys[step % keys.length];
    }
    // A copy: constantFrom hands out one shared instance, which a later pick could otherwise write into itself.
    if (key !== undefined && typeof parent === "object" && parent !== null) (parent as Record<string | number, unknown>)[key] = structuredClone(junk);
  }
  return root;
}

export const chaosTopologyArb: fc.Arbitrary<unknown> = fc
  .record({
    scenarios: fc.array(scenarioArb, { minLength: 1, maxLength: 3 }),
    sameNames: fc.boolean(),
    picks: fc.array(fc.record({ path: fc.array(fc.nat(), { minLength: 3, maxLength: 10 }), junk: junkArb }), { maxLength: 4 }),
  })
  .map(({ scenarios, sameNames, picks }) => {
    // Several scenarios' layers in one list: their index references now point across them, and unless renamed
    // their names collide.
    const layers = scenarios.flatMap((s, k) => s.model.layers.map((l) => (sameNames || k === 0 ? l : { ...l, name: `${l.name}_s${k}` })));
    const merged: GenModel = { kind: scenarios[0]!.model.kind, layers };
    return corrupt(renderModel(merged, scenarios[0]!.format), picks);
  });

// ---------------------------------------------------------------------------------------------------------------
// TF.js quirks: model.json that TF.js reads differently from how it is written (see check-model-layers.ts).

export const TFJS_QUIRKS = ["camelTwin", "classTwin", "extraNesting", "flatCall", "noEntryName", "configNameDiffers", "snakeVariant"] as const;
export type TfjsQuirk = (typeof TFJS_QUIRKS)[number];

/** A valid Keras 2 Functional chain with one TF.js quirk applied to one of its called layers. */
export const tfjsQuirkArb = fc
  .record({ base: chainArb(), quirk: fc.constantFrom(...TFJS_QUIRKS), pick: fc.nat() })
  .map(({ base, quirk, pick }) => {
    const topology = renderModel(base, "keras2");
    const layers = (topology.config as { layers: Record<string, unknown>[] }).layers;
    const called = layers.filter((l) => Array.isArray(l.inbound_nodes) && (l.inbound_nodes as unknown[]).length > 0);
    const layer = called[pick % called.length]!;
    const calls = layer.inbound_nodes as unknown[][];
    switch (quirk) {
      case "camelTwin":
        // TF.js reads this one (it comes last): a self-loop that a check reading inbound_nodes would not see.
        layer.inboundNodes = [[[layer.name, 0, 0, {}]]];
        break;
      case "classTwin":
        layer.className = "Conv2DTranspose";
        break;
      case "extraNesting":
        layer.inbound_nodes = [calls];
        break;
      case "flatCall":
        layer.inbound_nodes = [calls[0]![0]];
        break;
      case "noEntryName":
        delete layer.name;
        break;
      case "configNameDiffers":
        (layer.config as Record<string, unknown>).name = `${String(layer.name)}_renamed`;
        break;
      case "snakeVariant":
        // Same field to TF.js: must be read, and judged, the same.
        layer.inbound__nodes = layer.inbound_nodes;
        delete layer.inbound_nodes;
        break;
    }
    return { quirk, topology };
  });
