import type { Issue } from "../errors";
import { MAX_LAYER_INBOUND } from "./topology-limits";

/**
 * The layer graph of a Keras Functional model (Keras 2 `to_json()`, Keras 3 `config.json`, TF.js `model.json`),
 * checked and ordered without trusting it: names unique, every reference to a layer and node that exists, no cycle.
 * Ordering is Kahn's algorithm over the graph's nodes, so every loop here is bounded by the number of layers and
 * references read, never by the input being well formed. Pure: used by the spec importer and the evaluate-mode check.
 */

/** One tensor a layer call takes: output `tensor` of call (`node`) number `node` of layer `name`. */
export interface InboundRef {
  name: string;
  node: number;
  tensor: number;
}

/** A layer as the graph sees it. */
export interface GraphLayer {
  /** The name other layers refer to it by; undefined when the topology gives none. */
  name: string | undefined;
  /** Short position for messages, e.g. `layers.3`. */
  label: string;
  /** Full dotted path for issues, e.g. `model.config.layers.3`. */
  path: string;
  /** One entry per call of the layer (a Keras "node"), each the tensors that call takes. */
  calls: InboundRef[][];
  /** An InputLayer has its one node without being called. */
  isInput: boolean;
}

/** Beyond this many problems in one graph the student has enough to fix; more would bury the first. */
const MAX_GRAPH_ISSUES = 10;

/** Layers named in a cycle's message. */
const MAX_CYCLE_NAMES = 8;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** How deep inside one inbound node a tensor reference may sit (Keras 3 merge inputs: node → args → list → tensor → config → keras_history). */
const MAX_NODE_DEPTH = 12;

/** `` `x` (layers.3) `` — how messages name a layer. */
export function describeLayer(layer: Pick<GraphLayer, "name" | "label">): string {
  return layer.name === undefined ? `the unnamed layer at ${layer.label}` : `\`${layer.name}\` (${layer.label})`;
}

/**
 * Reads a layer's `inbound_nodes`: Keras 2 / TF.js (`[[["name", 0, 0, {}], ...], ...]`) or Keras 3
 * (`[{args: [{config: {keras_history: ["name", 0, 0]}}], kwargs: {}}, ...]`), one entry per call.
 * Iterative and bounded: at most MAX_LAYER_INBOUND calls and references, MAX_NODE_DEPTH levels inside a call.
 * @returns the calls, or the issue that stops the layer from being read
 */
export function readInboundNodes(raw: unknown, layer: Pick<GraphLayer, "name" | "label" | "path">): InboundRef[][] | Issue {
  const path = `${layer.path}.inbound_nodes`;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return { path, message: `${describeLayer(layer)}: inbound_nodes must be a list (one entry per call of the layer)` };
  if (raw.length > MAX_LAYER_INBOUND) {
    return { path, message: `${describeLayer(layer)} is called ${raw.length} times; at most ${MAX_LAYER_INBOUND} calls of one layer are read` };
  }
  const calls: InboundRef[][] = [];
  let refs = 0;
  for (const call of raw) {
    const found: InboundRef[] = [];
    const stack: { v: unknown; depth: number }[] = [{ v: call, depth: 0 }];
    while (stack.length > 0) {
      const { v, depth } = stack.pop()!;
      let ref: unknown[] | undefined;
      if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "number") ref = v;
      else if (isObj(v) && Array.isArray(v.keras_history) && typeof v.keras_history[0] === "string") ref = v.keras_history;
      if (ref) {
        const [name, node, tensor = 0] = ref;
        if (!isIndex(node) || !isIndex(tensor)) {
          return { path, message: `${describeLayer(layer)} refers to \`${String(name)}\` with a node or tensor index that is not a whole number ≥ 0` };
        }
        if (++refs > MAX_LAYER_INBOUND) {
          return { path, message: `${describeLayer(layer)} takes more than ${MAX_LAYER_INBOUND} inputs; that is more than any model the grader reads` };
        }
        found.push({ name: name as string, node, tensor });
        continue;
      }
      if (typeof v !== "object" || v === null) continue;
      if (depth >= MAX_NODE_DEPTH) {
        return { path, message: `${describeLayer(layer)}: an inbound node is nested more than ${MAX_NODE_DEPTH} levels deep; this is not a Keras node` };
      }
      // Reversed so references come out in the order they are written (the order of a merge layer's inputs).
      const children = Array.isArray(v) ? v : Object.values(v);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ v: children[i], depth: depth + 1 });
    }
    calls.push(found);
  }
  return calls;
}

/**
 * Refuses two layers with one name, naming both positions (a graph refers to layers by name, so a duplicate makes
 * every reference to it ambiguous; TF.js also refuses it, later and less clearly).
 */
export function duplicateNameIssues(layers: GraphLayer[]): Issue[] {
  const issues: Issue[] = [];
  const first = new Map<string, GraphLayer>();
  for (const layer of layers) {
    if (layer.name === undefined) continue;
    const earlier = first.get(layer.name);
    if (earlier) {
      issues.push({
        path: layer.path,
        message: `layers \`${layer.name}\` (${earlier.label}) and \`${layer.name}\` (${layer.label}) share a name; every layer needs its own name`,
      });
      if (issues.length >= MAX_GRAPH_ISSUES) break;
    } else {
      first.set(layer.name, layer);
    }
  }
  return issues;
}

/** A checked graph: its layers in an order where every layer comes after the layers it takes input from. */
export interface OrderedGraph {
  /** Layer indices, each once, ordered by their first call. */
  order: number[];
}

/**
 * Checks a Functional layer graph and orders it. A layer's call `k` takes the tensors of its refs, and comes after its
 * own call `k-1` (Keras and TF.js create a layer's nodes in call order), so a layer shared by several calls is fine
 * but a cycle — through other layers or a layer fed by its own output — is refused with the layers named.
 * @returns the order, or the issues (names missing or shared, references to nothing, cycles)
 */
export function orderLayerGraph(layers: GraphLayer[]): OrderedGraph | { issues: Issue[] } {
  const issues: Issue[] = [];
  const add = (issue: Issue): boolean => issues.push(issue) >= MAX_GRAPH_ISSUES;

  for (const layer of layers) {
    if (layer.name === undefined && add({ path: layer.path, message: `the layer at ${layer.label} has no name; layers of a Functional model refer to each other by name` })) break;
  }
  issues.push(...duplicateNameIssues(layers).slice(0, MAX_GRAPH_ISSUES - issues.length));
  if (issues.length) return { issues };

  const index = new Map<string, number>(layers.map((l, i) => [l.name!, i]));
  // Every layer has at least node 0 (an InputLayer, or a layer the topology never calls: a source); call k is node k.
  const nodeCount = layers.map((l) => Math.max(l.calls.length, 1));
  const offset: number[] = [];
  let total = 0;
  for (const n of nodeCount) {
    offset.push(total);
    total += n;
  }
  const layerOfNode = new Int32Array(total);
  layers.forEach((_, i) => layerOfNode.fill(i, offset[i]!, offset[i]! + nodeCount[i]!));

  // Edges as flat arrays: predecessors (for naming a cycle) and successors (for Kahn).
  const succ: number[][] = Array.from({ length: total }, () => []);
  const pred: number[][] = Array.from({ length: total }, () => []);
  const link = (from: number, to: number): void => {
    succ[from]!.push(to);
    pred[to]!.push(from);
  };
  outer: for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    for (let k = 0; k < layer.calls.length; k++) {
      const me = offset[i]! + k;
      if (k > 0) link(me - 1, me);
      // TF.js skips a call without inputs and so never creates its node: whatever takes that node waits for ever.
      if (layer.calls[k]!.length === 0 && !layer.isInput) {
        if (add({ path: `${layer.path}.inbound_nodes`, message: `${describeLayer(layer)} has an inbound node that takes no input; every call of a layer takes at least one tensor` })) break outer;
        continue;
      }
      for (const ref of layer.calls[k]!) {
        const j = index.get(ref.name);
        if (j === undefined) {
          if (add({ path: `${layer.path}.inbound_nodes`, message: `${describeLayer(layer)} takes its input from \`${ref.name}\`, which is not a layer of this model` })) break outer;
          continue;
        }
        if (j === i && ref.node >= k) {
          if (add({ path: `${layer.path}.inbound_nodes`, message: `${describeLayer(layer)} takes its own output as its input (a self-loop); a layer can only follow layers before it` })) break outer;
          continue;
        }
        const target = layers[j]!;
        // A layer with no inbound nodes that is not an InputLayer is never called, so it has no output node to take.
        const available = target.calls.length > 0 ? target.calls.length : target.isInput ? 1 : 0;
        if (ref.node >= available) {
          const has = available === 0 ? "is never called (it has no inbound nodes)" : `is called ${available === 1 ? "once" : `${available} times`}`;
          if (add({ path: `${layer.path}.inbound_nodes`, message: `${describeLayer(layer)} takes node ${ref.node} of ${describeLayer(target)}, which ${has}` })) break outer;
          continue;
        }
        link(offset[j]! + ref.node, me);
      }
    }
  }
  if (issues.length) return { issues };

  // Kahn's algorithm: each node and edge is handled once.
  const indegree = new Int32Array(total);
  for (let n = 0; n < total; n++) indegree[n] = pred[n]!.length;
  const queue: number[] = [];
  for (let n = 0; n < total; n++) if (indegree[n] === 0) queue.push(n);
  const order: number[] = [];
  const placed = new Uint8Array(layers.length);
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head]!;
    const l = layerOfNode[n]!;
    if (!placed[l]) {
      placed[l] = 1;
      order.push(l);
    }
    for (const m of succ[n]!) if (--indegree[m]! === 0) queue.push(m);
  }
  if (queue.length === total) return { order };

  // Every node left has a predecessor that is also left, so walking predecessors must revisit a node within `total`
  // steps: that stretch is a cycle. Named in the direction data flows.
  let n = 0;
  while (indegree[n] === 0) n++;
  const seenAt = new Int32Array(total).fill(-1);
  const walk: number[] = [];
  while (seenAt[n] === -1) {
    seenAt[n] = walk.length;
    walk.push(n);
    n = pred[n]!.find((p) => indegree[p]! > 0)!;
  }
  const cycle = walk.slice(seenAt[n]!).reverse().map((node) => layerOfNode[node]!);
  const distinct = cycle.filter((l, i) => i === 0 || cycle[i - 1] !== l);
  if (distinct.length > 1 && distinct[distinct.length - 1] === distinct[0]) distinct.pop();
  // Start from the layer listed first, so the message reads in the order the student sees the layers.
  const first = distinct.reduce((best, l, k) => (l < distinct[best]! ? k : best), 0);
  const ordered = [...distinct.slice(first), ...distinct.slice(0, first)];
  const start = layers[ordered[0]!]!;
  // A long cycle is named by its first few layers; the student needs a place to start, not all of it.
  const shown = ordered.length > MAX_CYCLE_NAMES ? ordered.slice(0, MAX_CYCLE_NAMES) : ordered;
  const names = shown.map((l) => describeLayer(layers[l]!));
  const tail = ordered.length > MAX_CYCLE_NAMES ? [`… (${ordered.length} layers in all)`] : [];
  const loop = names.length === 1
    ? `${names[0]} takes its own output as its input (a self-loop)`
    : `layers ${[...names, ...tail, describeLayer(start)].join(" → ")} form a cycle`;
  return { issues: [{ path: `${start.path}.inbound_nodes`, message: `${loop}; a model's layers must flow from its input to its output without coming back` }] };
}
