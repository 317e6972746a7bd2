import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { ModelArchiveError, SpecValidationError } from "@/grader/errors";
import { checkModelLayers } from "@/grader/evaluate/check-model-layers";
import { kerasToLayers } from "@/grader/spec/keras-import";
import { parseUserYaml } from "@/grader/spec/read-yaml";
import { parseSpec } from "@/grader/spec/schema";
import { MAX_LAYER_INBOUND, MAX_MODEL_LAYERS, MAX_MODEL_NESTING } from "@/grader/spec/topology-limits";
import { attempt, CASE_TIME_LIMIT_MS, fuzzParameters, type Outcome } from "./fuzz-settings";
import { chaosTopologyArb, renderModel, submittedTopologyArb, tfjsQuirkArb, type Scenario, type TfjsQuirk } from "./topology-arbitraries";

/**
 * Every walk over a user topology is linear and total: on any graph — duplicate names, cycles, self-loops,
 * dangling and multi-inbound references, shared layers, huge fan-in, deep nesting, models inside models, in the
 * Keras 2 and Keras 3 formats — the importer and the evaluate-mode check return or refuse with a typed user error,
 * each case within CASE_TIME_LIMIT_MS, and the refusal names what is wrong.
 */

const training = { epochs: 1 };

function withinTime(o: Outcome<unknown>): void {
  expect(o.ms, `one case took ${Math.round(o.ms)} ms`).toBeLessThan(CASE_TIME_LIMIT_MS);
}

const quoted = (name: string | undefined): string => `\`${name}\``;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What the spec importer must do with a scenario: accept it, or refuse with a message matching this. */
function importExpectation(s: Scenario): "accept" | RegExp {
  const [p, q] = s.at.layers;
  const name = s.at.name ?? "";
  switch (s.defect) {
    case "none":
      return "accept";
    case "duplicate":
      return new RegExp(esc(`layers ${quoted(name)} (layers.${p}) and ${quoted(name)} (layers.${q}) share a name; every layer needs its own name`));
    case "selfLoop":
      return new RegExp(esc(`${quoted(name)} (layers.${p}) takes its own output as its input (a self-loop)`));
    case "cycle":
      return p === q ? /takes its own output as its input \(a self-loop\)/ : new RegExp(`${esc(quoted(name))}[^;]* form a cycle`);
    case "dangling":
      return new RegExp(esc(`${quoted(name)} (layers.${p}) takes its input from \`ghost_layer\`, which is not a layer of this model`));
    case "badNode":
      return /takes node 3 of `[^`]+` \(layers\.\d+\), which is called once/;
    case "multiInbound":
      return /several inputs; the grader supports single-chain models only/;
    case "shared":
      return new RegExp(esc(`${quoted(name)} (layers.${p}) is called 2 times (a shared layer)`));
    case "fanOut":
      return new RegExp(esc(`layer "${name}" feeds 2 layers`));
    case "hugeFanIn":
      return (s.at.fanIn ?? 0) > MAX_LAYER_INBOUND ? new RegExp(`takes more than ${MAX_LAYER_INBOUND} inputs`) : /several inputs/;
    case "deepNode":
      return /an inbound node is nested more than 12 levels deep/;
    case "nested":
      return new RegExp(esc(`layer \`${name}\` (`) + ".*is a model inside the model");
    case "refusedClass":
      return new RegExp(esc(`layer \`${name}\``) + ".*(Lambda layer|is not an allowed layer)");
    case "emptyCall":
      return new RegExp(esc(`${quoted(name)} (layers.${p}) has an inbound node that takes no input`));
  }
}

const TFJS_NODE_FORMAT = /inbound_nodes must be a list of calls, each a list of \[layer name, node index, tensor index, kwargs\]/;

/** What the evaluate-mode check must do: TF.js can build shared layers, merges and branches, so those pass. */
function modelCheckExpectation(s: Scenario): "accept" | RegExp {
  // TF.js reads Keras 2 nodes only; a Keras 3 Functional (every nested chain has one) is refused at its first node.
  // Classes are checked first, and a functional level comes before the nesting cap is reached.
  const hasGraph = s.model.kind === "functional" || s.defect === "nested";
  if (s.format === "keras3" && hasGraph && s.defect !== "refusedClass") return TFJS_NODE_FORMAT;
  switch (s.defect) {
    case "deepNode":
      return TFJS_NODE_FORMAT;
    case "multiInbound":
    case "shared":
    case "fanOut":
      return "accept";
    case "hugeFanIn":
      return (s.at.fanIn ?? 0) > MAX_LAYER_INBOUND ? new RegExp(`takes more than ${MAX_LAYER_INBOUND} inputs`) : "accept";
    case "nested":
      return 1 + (s.at.nesting ?? 0) > MAX_MODEL_NESTING ? new RegExp(`nested at most ${MAX_MODEL_NESTING} deep`) : "accept";
    case "refusedClass":
      return /which is custom or not supported by TF\.js/;
    default: {
      const e = importExpectation(s);
      return e;
    }
  }
}

function expectOutcome(o: Outcome<unknown>, expected: "accept" | RegExp, errorClass: typeof SpecValidationError | typeof ModelArchiveError): void {
  withinTime(o);
  if (expected === "accept") {
    expect(o.ok, o.ok ? "" : o.error.message).toBe(true);
  } else {
    expect(o.ok, "expected a refusal").toBe(false);
    if (!o.ok) {
      expect(o.error).toBeInstanceOf(errorClass);
      expect(o.error.message).toMatch(expected);
    }
  }
}

describe("the Keras importer on generated graphs", () => {
  it("refuses the topology from issue 10 — a Flatten and a Dense both named x — naming both positions, at once", () => {
    const model = {
      class_name: "Functional",
      config: {
        layers: [
          { class_name: "InputLayer", name: "in", config: { name: "in", batch_input_shape: [null, 8, 8, 1] }, inbound_nodes: [] },
          { class_name: "Flatten", name: "x", config: { name: "x" }, inbound_nodes: [[["in", 0, 0, {}]]] },
          { class_name: "Dense", name: "x", config: { name: "x", units: 5, activation: "softmax" }, inbound_nodes: [[["x", 0, 0, {}]]] },
        ],
      },
    };
    // Before the fix this never returned: the chain walk followed x → x for ever, growing an array until V8 aborted.
    const o = attempt(() => parseSpec({ kind: "keras", model, training }));
    withinTime(o);
    expect(o.ok).toBe(false);
    if (!o.ok) {
      expect(o.error).toBeInstanceOf(SpecValidationError);
      expect((o.error as SpecValidationError).issues).toEqual([{
        path: "model.config.layers.2",
        message: "layers `x` (layers.1) and `x` (layers.2) share a name; every layer needs its own name",
      }]);
    }
  });

  it("names the layers of a cycle in the direction data flows", () => {
    const layer = (cls: string, name: string, from: string): unknown => ({ class_name: cls, name, config: { name, units: 5 }, inbound_nodes: [[[from, 0, 0, {}]]] });
    const model = {
      class_name: "Functional",
      config: { layers: [
        { class_name: "InputLayer", name: "in", config: { name: "in", batch_input_shape: [null, 8, 8, 1] }, inbound_nodes: [] },
        layer("Flatten", "a", "c"), layer("Dense", "b", "a"), layer("Dense", "c", "b"),
      ] },
    };
    expect(() => kerasToLayers(model)).toThrow(/`[abc]` \(layers\.\d\) → `[abc]` \(layers\.\d\) → `[abc]` \(layers\.\d\) → `[abc]` \(layers\.\d\) form a cycle/);
  });

  it("accepts every valid chain in any listed order, and refuses each defect with a message naming it, within 2 s", () => {
    fc.assert(
      fc.property(submittedTopologyArb, ({ scenario, topology }) => {
        const o = attempt(() => kerasToLayers(topology));
        expectOutcome(o, importExpectation(scenario), SpecValidationError);
        if (o.ok && scenario.defect === "none" && scenario.model.kind === "functional") {
          // The chain is recovered from the graph, not from the order the layers happen to be listed in.
          expect(o.value.kerasNames).toEqual(scenario.chainNames);
        }
      }),
      fuzzParameters(),
    );
  });

  it("returns or refuses with a typed error, within 2 s, when defects are stacked and slots hold junk", () => {
    fc.assert(
      fc.property(chaosTopologyArb, fc.boolean(), (topology, asText) => {
        withinTime(attempt(() => kerasToLayers(asText ? JSON.stringify(topology) : topology)));
      }),
      fuzzParameters(),
    );
  });
});

describe("the evaluate-mode layer check (checkModelLayers) on generated model.json topologies", () => {
  it("accepts what TF.js can build (shared layers, merges, branches, nesting within the cap) and refuses the rest, naming it", () => {
    fc.assert(
      fc.property(submittedTopologyArb, ({ scenario, topology }) => {
        const value = typeof topology === "string" ? (JSON.parse(topology) as Record<string, unknown>) : topology;
        expectOutcome(attempt(() => checkModelLayers(value)), modelCheckExpectation(scenario), ModelArchiveError);
      }),
      fuzzParameters(),
    );
  });

  it("reads model.json as TF.js reads it: one field under two spellings, nodes in any other shape, names that disagree", () => {
    const expected: Record<TfjsQuirk, "accept" | RegExp> = {
      camelTwin: /two fields that TF.js reads as one \("inboundNodes"\)/,
      classTwin: /two fields that TF.js reads as one \("className"\)/,
      extraNesting: TFJS_NODE_FORMAT,
      flatCall: TFJS_NODE_FORMAT,
      noEntryName: /has no name; layers of a Functional model refer to each other by name/,
      configNameDiffers: /a layer's name and its config.name must be the same/,
      snakeVariant: "accept",
    };
    fc.assert(
      fc.property(tfjsQuirkArb, ({ quirk, topology }) => {
        expectOutcome(attempt(() => checkModelLayers(topology)), expected[quirk], ModelArchiveError);
      }),
      fuzzParameters(0.3),
    );
  });

  it("returns or refuses with a typed error, within 2 s, when defects are stacked and slots hold junk", () => {
    fc.assert(
      fc.property(chaosTopologyArb, (topology) => {
        const value = typeof topology === "object" && topology !== null && !Array.isArray(topology) ? (topology as Record<string, unknown>) : { junk: topology };
        withinTime(attempt(() => checkModelLayers(value)));
      }),
      fuzzParameters(),
    );
  });

  it("refuses the graphs TF.js's modelFromJSON never returns from: a cycle, and a reference to a call that never happens", () => {
    // Measured before the fix: both passed this check, and tf.models.modelFromJSON then looped for 30 s until killed.
    const input = { class_name: "InputLayer", name: "in", config: { name: "in", batch_input_shape: [null, 4] }, inbound_nodes: [] };
    const dense = (name: string, from: string, node = 0): unknown => ({ class_name: "Dense", name, config: { name, units: 4 }, inbound_nodes: [[[from, node, 0, {}]]] });
    const model = (layers: unknown[]): Record<string, unknown> => ({ class_name: "Functional", config: { name: "m", layers, input_layers: [["in", 0, 0]], output_layers: [["b", 0, 0]] } });
    expect(() => checkModelLayers(model([input, dense("a", "b"), dense("b", "a")]))).toThrow(
      "model.json: layers `a` (layers.1) → `b` (layers.2) → `a` (layers.1) form a cycle; a model's layers must flow from its input to its output without coming back",
    );
    expect(() => checkModelLayers(model([input, dense("b", "in", 3)]))).toThrow(
      "model.json: `b` (layers.1) takes node 3 of `in` (layers.0), which is called once",
    );
    expect(() => checkModelLayers({ ...model([input, dense("b", "in")]), config: { layers: [input, dense("b", "in")], output_layers: [["out", 0, 0]] } })).toThrow(
      "model.json: output_layers names `out`, which is not a layer of this model",
    );
  });

  it("refuses a structure that contains itself, and one too large, quickly", () => {
    const selfRef: Record<string, unknown> = { class_name: "Sequential", config: { layers: [] as unknown[] } };
    (selfRef.config as { layers: unknown[] }).layers.push(selfRef);
    const loop = attempt(() => checkModelLayers(selfRef));
    withinTime(loop);
    expect(loop.ok ? "accepted" : loop.error.message).toMatch(/nested more than 100 levels deep/);

    // Legal layer by layer, but far more of them than any real model: refused by count before the graph is built.
    const layers = Array.from({ length: MAX_MODEL_LAYERS + 1 }, (_, i) => ({
      class_name: i === 0 ? "InputLayer" : "Dense", name: `l${i}`, config: { name: `l${i}`, units: 1 },
      inbound_nodes: i === 0 ? [] : [[[`l${i - 1}`, 0, 0, {}]]],
    }));
    const big = attempt(() => checkModelLayers({ class_name: "Functional", config: { layers } }));
    withinTime(big);
    expect(big.ok ? "accepted" : big.error.message).toMatch(new RegExp(`more than ${MAX_MODEL_LAYERS} layers`));
  });

  it("orders a graph of 2,000 layers, each taking 32 earlier outputs, in well under the limit", () => {
    // About the largest graph the caps let through (64,000 references; 256-way fan-in on every layer passes the
    // JSON size cap first). Kahn's algorithm is linear in it.
    const n = MAX_MODEL_LAYERS;
    const layers = Array.from({ length: n }, (_, i) => ({
      class_name: i === 0 ? "InputLayer" : "Concatenate", name: `l${i}`, config: { name: `l${i}` },
      inbound_nodes: i === 0 ? [] : [Array.from({ length: Math.min(i, 32) }, (_, k) => [`l${i - 1 - k}`, 0, 0, {}])],
    }));
    const o = attempt(() => checkModelLayers({ class_name: "Functional", config: { layers } }));
    withinTime(o);
    expect(o.ok ? "accepted" : o.error.message).toBe("accepted");
  });
});

describe("parseSpec on generated topologies and YAML", () => {
  it("gives the same verdict for a Keras spec as an object, as JSON text and as YAML text", () => {
    fc.assert(
      fc.property(submittedTopologyArb, ({ scenario, topology }) => {
        const spec = { kind: "keras", model: topology, training };
        const verdicts = [spec, JSON.stringify(spec), toYaml(spec, { aliasDuplicateObjects: false })].map((input) => {
          const o = attempt(() => parseSpec(input));
          withinTime(o);
          return o.ok ? "accepted" : (o.error as SpecValidationError).issues.map((i) => i.message);
        });
        expect(verdicts[1]).toEqual(verdicts[0]);
        expect(verdicts[2]).toEqual(verdicts[0]);
        expect(verdicts[0] === "accepted").toBe(importExpectation(scenario) === "accept");
      }),
      fuzzParameters(0.5),
    );
  });

  it("refuses a spec nested 100,000 levels deep, as JSON text and as an object, before anything recurses into it", () => {
    const text = `{"kind": "keras", "training": {"epochs": 1}, "model": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    for (const input of [text, { kind: "cnn", layers: deep, training }]) {
      const o = attempt(() => parseSpec(input));
      withinTime(o);
      expect(o.ok ? "accepted" : o.error.message).toMatch(/nested more than 100 levels deep/);
    }
  });

  it("reads a Keras form's training block with the same YAML reader, which never returns a value that contains itself", () => {
    expect(parseUserYaml("epochs: 3\nbatchSize: 32")).toEqual({ ok: true, value: { epochs: 3, batchSize: 32 } });
    const loop = parseUserYaml("epochs: 3\naugmentation: &a {again: *a}");
    expect(loop.ok ? "accepted" : loop.message).toMatch(/^augmentation\.again.*: lists and objects are nested more than 100 levels deep here/);
  });

  it("refuses YAML whose aliases build a value that contains itself", () => {
    for (const text of [
      "kind: keras\nmodel: &m {class_name: Sequential, config: {layers: [*m]}}\ntraining: {epochs: 1}",
      "kind: cnn\nlayers: &l [{type: flatten}, *l]\ntraining: {epochs: 1}",
    ]) {
      const o = attempt(() => parseSpec(text));
      withinTime(o);
      expect(o.ok ? "accepted" : o.error.message).toMatch(/nested more than 100 levels deep here \(a structure that contains itself never ends\)/);
    }
  });

  /** YAML shaped to be slow or deep: nesting by brackets and by indicators, many keys, duplicate keys, alias fans. */
  const hostileYamlArb = fc.oneof(
    fc.record({ open: fc.constantFrom("[", "{a: ", "- ", "? ", "- a: "), depth: fc.integer({ min: 1, max: 5_000 }) })
      .map(({ open, depth }) => `kind: cnn\nlayers: ${open.repeat(depth)}x`),
    fc.integer({ min: 1, max: 4_000 }).map((n) => Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join("\n")),
    fc.record({ n: fc.integer({ min: 2, max: 4_000 }), dup: fc.nat() }).map(({ n, dup }) => Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join("\n") + `\nk${dup % n}: again`),
    fc.integer({ min: 1, max: 60 }).map((levels) => "a0: &a0 [x, x]\n" + Array.from({ length: levels }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`).join("\n")),
    fc.integer({ min: 1, max: 300 }).map((n) => `kind: cnn\nlayers:\n${Array.from({ length: n }, (_, i) => `${"  ".repeat(i + 1)}- x${i}:`).join("\n")}`),
  );

  it("reads hostile YAML in time linear in its length and refuses it with a typed error", () => {
    fc.assert(
      fc.property(hostileYamlArb, (text) => {
        const o = attempt(() => parseSpec(text));
        withinTime(o);
        if (!o.ok) expect(o.error).toBeInstanceOf(SpecValidationError);
      }),
      fuzzParameters(0.3),
    );
  });

  it("refuses a duplicate key with its line, as the yaml package did, without its quadratic check", () => {
    const o = attempt(() => parseSpec("kind: cnn\nlayers: [{type: flatten}]\nkind: cnn\ntraining: {epochs: 1}"));
    expect(o.ok ? "accepted" : o.error.message).toMatch(/the key "kind" appears twice in one mapping \(line 3\)/);
    // 20,000 keys took the yaml package's uniqueKeys check 8 s on this machine (loaded), 5 to 33 times its parse
    // without the check; one set per mapping costs a fraction of the parse. Timed against that parse, after a
    // warm-up, so machine load does not decide the outcome.
    const many = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join("\n") + "\nk7: again";
    parseYaml(many.slice(0, 20_000), { uniqueKeys: false });
    const start = performance.now();
    parseYaml(many, { uniqueKeys: false });
    const parseOnly = performance.now() - start;
    const checked = attempt(() => parseSpec(many));
    expect(checked.ok ? "accepted" : checked.error.message).toMatch(/the key "k7" appears twice in one mapping \(line 20001\)/);
    expect(checked.ms, `parse alone ${Math.round(parseOnly)} ms`).toBeLessThan(2.5 * parseOnly + 100);
  });

  it("reads a rendered Keras 3 topology as YAML just as it reads the JSON", () => {
    const rendered = renderModel({ kind: "functional", layers: [
      { name: "in", cls: "InputLayer", config: { batch_input_shape: [null, 8, 8, 3] }, calls: [] },
      { name: "flat", cls: "Flatten", config: {}, calls: [[{ to: 0, node: 0, tensor: 0 }]] },
      { name: "out", cls: "Dense", config: { units: 5, activation: "softmax" }, calls: [[{ to: 1, node: 0, tensor: 0 }]] },
    ] }, "keras3");
    const spec = { kind: "keras", model: rendered, training };
    expect(parseSpec(toYaml(spec))).toEqual(parseSpec(spec));
  });
});
