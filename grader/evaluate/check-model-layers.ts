import { ModelArchiveError } from "../errors";
import { jsonShapeIssue } from "../spec/json-shape";
import { KERAS_ALLOWED } from "../spec/keras-import";
import { duplicateNameIssues, orderLayerGraph, readInboundNodes, type GraphLayer } from "../spec/layer-graph";
import { MAX_MODEL_LAYERS, MAX_MODEL_NESTING } from "../spec/topology-limits";

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

/** The layer list of a Keras model config: `config.layers`, or the bare list of Keras ≤ 2.2 Sequential. */
function layerList(model: Obj): unknown[] {
  const config = model.config;
  if (Array.isArray(config)) return config;
  return isObj(config) && Array.isArray(config.layers) ? config.layers : [];
}

const nameOf = (layer: Obj): string | undefined =>
  typeof layer.name === "string" ? layer.name : isObj(layer.config) && typeof layer.config.name === "string" ? layer.config.name : undefined;

/**
 * A Functional model's graph, checked the way TF.js will need it: TF.js rebuilds it by retrying every layer until
 * each one's inputs exist, so a cycle or a reference to a missing layer or node makes it loop for ever (measured:
 * `tf.models.modelFromJSON` never returned). `input_layers`/`output_layers` must name layers that exist too.
 */
function checkGraph(model: Obj, layers: Obj[], where: string): void {
  const graph: GraphLayer[] = [];
  layers.forEach((layer, i) => {
    const at = { name: nameOf(layer), label: `${where}layers.${i}`, path: `${where}layers.${i}` };
    const calls = readInboundNodes(layer.inbound_nodes, at);
    if (!Array.isArray(calls)) throw new ModelArchiveError(`model.json: ${calls.message}`);
    graph.push({ ...at, calls, isInput: layer.class_name === "InputLayer" });
  });
  const checked = orderLayerGraph(graph);
  if ("issues" in checked) throw new ModelArchiveError(`model.json: ${checked.issues.map((i) => i.message).join("; ")}`);
  const names = new Set(graph.map((l) => l.name));
  const config = isObj(model.config) ? model.config : {};
  for (const key of ["input_layers", "output_layers"] as const) {
    const ends = config[key];
    if (ends === undefined) continue;
    const list = Array.isArray(ends) && typeof ends[0] === "string" ? [ends] : ends;
    if (!Array.isArray(list) || list.length > MAX_MODEL_LAYERS) throw new ModelArchiveError(`model.json: ${where}${key} must be a list of [layer, node, tensor]`);
    for (const end of list) {
      if (!Array.isArray(end) || typeof end[0] !== "string") throw new ModelArchiveError(`model.json: ${where}${key} must be a list of [layer, node, tensor]`);
      if (!names.has(end[0])) throw new ModelArchiveError(`model.json: ${where}${key} names \`${end[0]}\`, which is not a layer of this model`);
    }
  }
}

/**
 * Refuses an uploaded model's topology if any layer (nested models included) is outside the allow-list, or if a
 * Functional graph is one TF.js cannot build (names shared, references to nothing, cycles) — before TF.js builds
 * anything from it. Lambda and custom classes are named in the message, with where they stand (e.g. `layers.3`).
 * Iterative and bounded: the whole value by JSON depth and size, nesting by MAX_MODEL_NESTING, the layers of all
 * models together by MAX_MODEL_LAYERS, so a structure that contains itself or is merely enormous ends with a refusal.
 * @throws ModelArchiveError
 */
export function checkModelLayers(modelTopology: Obj): void {
  const shape = jsonShapeIssue(modelTopology, "modelTopology");
  if (shape) throw new ModelArchiveError(`model.json: ${shape.path}: ${shape.message}`);
  const root = isObj(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  const pending: { model: Obj; where: string; depth: number }[] = [{ model: root, where: "", depth: 1 }];
  let seen = 0;
  while (pending.length > 0) {
    const { model, where, depth } = pending.pop()!;
    const list = layerList(model);
    seen += list.length;
    if (seen > MAX_MODEL_LAYERS) {
      throw new ModelArchiveError(`model.json has more than ${MAX_MODEL_LAYERS} layers (nested models included); the grader reads at most that many`);
    }
    const layers: Obj[] = [];
    list.forEach((layer, i) => {
      const at = `${where}layers.${i}`;
      if (!isObj(layer) || typeof layer.class_name !== "string") {
        throw new ModelArchiveError(`model.json: ${at} is not a layer ({class_name, config})`);
      }
      const cls = layer.class_name;
      if (!ALLOWED.has(cls) || (typeof layer.module === "string" && !layer.module.startsWith("keras"))) {
        throw new ModelArchiveError(
          `The model uses the layer "${cls}" (${at}), which is custom or not supported by TF.js (Lambda and custom layers cannot be graded)`,
        );
      }
      if (MODEL_CLASSES.has(cls)) {
        if (depth >= MAX_MODEL_NESTING) {
          throw new ModelArchiveError(`model.json: ${at} is a model nested ${depth + 1} deep; the grader reads models nested at most ${MAX_MODEL_NESTING} deep`);
        }
        pending.push({ model: layer, where: `${at}.`, depth: depth + 1 });
      }
      layers.push(layer);
    });
    // A Sequential has no graph, but TF.js names its layers and refuses a name used twice: say so with both places.
    if (model.class_name === "Sequential" || Array.isArray(model.config)) {
      const dup = duplicateNameIssues(layers.map((l, i) => ({ name: nameOf(l), label: `${where}layers.${i}`, path: `${where}layers.${i}`, calls: [], isInput: false })))[0];
      if (dup) throw new ModelArchiveError(`model.json: ${dup.message}`);
    } else if (layers.length > 0) {
      checkGraph(model, layers, where);
    }
  }
}
