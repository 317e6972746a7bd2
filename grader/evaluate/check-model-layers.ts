import { ModelArchiveError } from "../errors";
import { jsonShapeIssue } from "../spec/json-shape";
import { KERAS_ALLOWED } from "../spec/keras-import";
import { describeLayer, duplicateNameIssues, orderLayerGraph, type GraphLayer, type InboundRef } from "../spec/layer-graph";
import { MAX_LAYER_INBOUND, MAX_MODEL_LAYERS, MAX_MODEL_NESTING } from "../spec/topology-limits";

/**
 * Layer classes an uploaded, already-trained model may use on top of the spec allow-list: wiring and
 * shape layers TF.js implements itself. A trained model is only run forward, so these cost nothing
 * the budget check does not see.
 */
const EVALUATE_EXTRA = [
  "Sequential", "Functional", "Model", "Add", "Concatenate", "Multiply", "Average", "Maximum", "Minimum",
  "ZeroPadding2D", "Cropping2D", "Reshape", "Permute", "UpSampling2D", "LeakyReLU", "ELU", "PReLU",
  "SpatialDropout2D",
] as const;

const ALLOWED = new Set<string>([...KERAS_ALLOWED, ...EVALUATE_EXTRA]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const MODEL_CLASSES = new Set(["Sequential", "Functional", "Model"]);

/**
 * TF.js's `modelFromJSON` does not read model.json as written: it first renames every key and every string value
 * from snake_case to camelCase (`convertPythonicToTs`, with `generic_utils.toCamelCase`), keeping only `name`
 * values and the layer names inside `inbound_nodes`/`input_layers`/`output_layers`. So `class_name` and `className`
 * are one field to TF.js, and the last one written wins. This check reads the topology the same way, or it would
 * be checking a different model from the one TF.js builds (measured: `{class_name: "Dense", className:
 * "Conv2DTranspose"}` passed an allow-list that read class_name, and TF.js built a Conv2DTranspose).
 */
function tfjsCamel(s: string): string {
  if (s.length <= 1 || !s.includes("_")) return s;
  return s.replace(/[_]+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

/** An object's fields under the names TF.js reads them by; two keys that TF.js reads as one are refused. */
function tfjsFields(obj: Obj, at: string): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(obj)) {
    const ts = tfjsCamel(key);
    if (fields.has(ts)) throw new ModelArchiveError(`model.json: ${at} has two fields that TF.js reads as one ("${ts}"); keep the one Keras wrote`);
    fields.set(ts, value);
  }
  return fields;
}

/** The layer list of a Keras model config: `config.layers`, or the bare list of Keras ≤ 2.2 Sequential. */
function layerList(config: unknown, at: string): unknown[] {
  if (Array.isArray(config)) return config;
  if (!isObj(config)) return [];
  const layers = tfjsFields(config, `${at}config`).get("layers");
  return Array.isArray(layers) ? layers : [];
}

const isIndex = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/**
 * A layer's calls, read strictly in the one shape TF.js reads: a list of calls, each a list of
 * `[layer name, node index, tensor index, kwargs]`. TF.js indexes into whatever it is given, so any other shape
 * (a call that is itself a reference, one level of nesting too many) sends it looking for a layer named after a
 * character or an array, and it waits for that layer for ever.
 */
function tfjsCalls(raw: unknown, layer: Pick<GraphLayer, "name" | "label">): InboundRef[][] {
  if (raw === undefined || raw === null) return [];
  const bad = (): ModelArchiveError => new ModelArchiveError(
    `model.json: ${describeLayer(layer)}: inbound_nodes must be a list of calls, each a list of [layer name, node index, tensor index, kwargs] (as TF.js and Keras 2 write it)`,
  );
  if (!Array.isArray(raw)) throw bad();
  if (raw.length > MAX_LAYER_INBOUND) {
    throw new ModelArchiveError(`model.json: ${describeLayer(layer)} is called ${raw.length} times; at most ${MAX_LAYER_INBOUND} calls of one layer are read`);
  }
  let refs = 0;
  return raw.map((call) => {
    if (!Array.isArray(call)) throw bad();
    return call.map((ref): InboundRef => {
      if (!Array.isArray(ref) || ref.length < 3 || ref.length > 4 || typeof ref[0] !== "string" || !isIndex(ref[1]) || !isIndex(ref[2]) || !(ref[3] === undefined || ref[3] === null || isObj(ref[3]))) {
        throw bad();
      }
      if (++refs > MAX_LAYER_INBOUND) {
        throw new ModelArchiveError(`model.json: ${describeLayer(layer)} takes more than ${MAX_LAYER_INBOUND} inputs; that is more than any model the grader reads`);
      }
      return { name: ref[0], node: ref[1], tensor: ref[2] };
    });
  });
}

/** One layer entry as TF.js reads it. */
interface Entry {
  cls: string;
  /** The entry's `name`: what references resolve against (TF.js's `createdLayers`). */
  name: unknown;
  /** `config.name`: the name TF.js gives the layer object, under which it queues the layer's calls. */
  configName: unknown;
  config: unknown;
  inbound: unknown;
  module: unknown;
}

function readEntry(layer: unknown, at: string): Entry {
  if (!isObj(layer)) throw new ModelArchiveError(`model.json: ${at} is not a layer ({class_name, config})`);
  const f = tfjsFields(layer, at);
  const cls = f.get("className");
  if (typeof cls !== "string") throw new ModelArchiveError(`model.json: ${at} is not a layer ({class_name, config})`);
  const config = f.get("config");
  const configName = isObj(config) ? tfjsFields(config, `${at}.config`).get("name") : undefined;
  return { cls: tfjsCamel(cls), name: f.get("name"), configName, config, inbound: f.get("inboundNodes"), module: f.get("module") };
}

/**
 * A Functional model's graph, checked the way TF.js will need it: TF.js rebuilds it by retrying every layer until
 * each one's inputs exist, so a cycle, a reference to a missing layer or node, or a call with no inputs makes it
 * loop for ever (measured: `tf.models.modelFromJSON` never returned). References resolve against each entry's
 * `name` while TF.js queues calls under `config.name`, so the two must agree. `input_layers`/`output_layers` must
 * name layers that exist.
 */
function checkGraph(config: unknown, entries: Entry[], where: string): void {
  const graph: GraphLayer[] = entries.map((entry, i) => {
    const at = { name: typeof entry.name === "string" ? entry.name : undefined, label: `${where}layers.${i}`, path: `${where}layers.${i}` };
    if (at.name === undefined) throw new ModelArchiveError(`model.json: the layer at ${at.label} has no name; layers of a Functional model refer to each other by name`);
    if (entry.configName !== at.name) {
      throw new ModelArchiveError(`model.json: ${describeLayer(at)} has config.name ${JSON.stringify(entry.configName ?? null)}; a layer's name and its config.name must be the same (as Keras writes them)`);
    }
    return { ...at, calls: tfjsCalls(entry.inbound, at), isInput: entry.cls === "InputLayer" };
  });
  const checked = orderLayerGraph(graph);
  if ("issues" in checked) throw new ModelArchiveError(`model.json: ${checked.issues.map((i) => i.message).join("; ")}`);
  if (!isObj(config)) return;
  const names = new Set(graph.map((l) => l.name));
  const fields = tfjsFields(config, `${where}config`);
  for (const key of ["inputLayers", "outputLayers"] as const) {
    const ends = fields.get(key);
    const label = key === "inputLayers" ? "input_layers" : "output_layers";
    if (ends === undefined) continue;
    if (!Array.isArray(ends) || ends.length > MAX_MODEL_LAYERS || !ends.every((e) => Array.isArray(e) && typeof e[0] === "string")) {
      throw new ModelArchiveError(`model.json: ${where}${label} must be a list of [layer, node, tensor]`);
    }
    for (const end of ends as [string][]) {
      if (!names.has(end[0])) throw new ModelArchiveError(`model.json: ${where}${label} names \`${end[0]}\`, which is not a layer of this model`);
    }
  }
}

/**
 * Refuses an uploaded model's topology if any layer (nested models included) is outside the allow-list, or if a
 * Functional graph is one TF.js cannot build (names shared, references to nothing, cycles) — before TF.js builds
 * anything from it. Reads the topology as TF.js will (see tfjsCamel). Lambda and custom classes are named in the
 * message, with where they stand (e.g. `layers.3`).
 * Iterative and bounded: the whole value by JSON depth and size, nesting by MAX_MODEL_NESTING, the layers of all
 * models together by MAX_MODEL_LAYERS, so a structure that contains itself or is merely enormous ends with a refusal.
 * @throws ModelArchiveError
 */
export function checkModelLayers(modelTopology: Obj): void {
  const shape = jsonShapeIssue(modelTopology, "modelTopology");
  if (shape) throw new ModelArchiveError(`model.json: ${shape.path}: ${shape.message}`);
  // TF.js unwraps model_config by this exact key before it renames anything.
  const root = isObj(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  const rootFields = tfjsFields(root, "modelTopology");
  const rootClass = rootFields.get("className");
  const pending: { cls: unknown; config: unknown; where: string; depth: number }[] = [
    { cls: typeof rootClass === "string" ? tfjsCamel(rootClass) : rootClass, config: rootFields.get("config"), where: "", depth: 1 },
  ];
  let seen = 0;
  while (pending.length > 0) {
    const { cls: modelClass, config, where, depth } = pending.pop()!;
    const list = layerList(config, where);
    seen += list.length;
    if (seen > MAX_MODEL_LAYERS) {
      throw new ModelArchiveError(`model.json has more than ${MAX_MODEL_LAYERS} layers (nested models included); the grader reads at most that many`);
    }
    const entries = list.map((layer, i): Entry => {
      const at = `${where}layers.${i}`;
      const entry = readEntry(layer, at);
      if (!ALLOWED.has(entry.cls) || (typeof entry.module === "string" && !entry.module.startsWith("keras"))) {
        throw new ModelArchiveError(
          `The model uses the layer "${entry.cls}" (${at}), which is custom or not supported by TF.js (Lambda and custom layers cannot be graded)`,
        );
      }
      if (MODEL_CLASSES.has(entry.cls)) {
        if (depth >= MAX_MODEL_NESTING) {
          throw new ModelArchiveError(`model.json: ${at} is a model nested ${depth + 1} deep; the grader reads models nested at most ${MAX_MODEL_NESTING} deep`);
        }
        pending.push({ cls: entry.cls, config: entry.config, where: `${at}.`, depth: depth + 1 });
      }
      return entry;
    });
    // A Sequential has no graph, but TF.js names its layers and refuses a name used twice: say so with both places.
    if (modelClass === "Sequential" || Array.isArray(config)) {
      const named = entries.map((e, i): GraphLayer => ({
        name: typeof e.configName === "string" ? e.configName : typeof e.name === "string" ? e.name : undefined,
        label: `${where}layers.${i}`, path: `${where}layers.${i}`, calls: [], isInput: false,
      }));
      const dup = duplicateNameIssues(named)[0];
      if (dup) throw new ModelArchiveError(`model.json: ${dup.message}`);
    } else if (entries.length > 0) {
      checkGraph(config, entries, where);
    }
  }
}
