import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import { SpecValidationError, UnknownBaseModelError } from "@/grader/errors";
import type { BaseSummary } from "@/grader/registry/base-summary";
import { analyzeSpec, checkBudget } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const training = { epochs: 3 };

/** A small assignment for shape and budget checks (5 classes of 32×32×3). */
const assignment: Pick<AssignmentConfig, "inputShape" | "classes" | "budget"> = {
  inputShape: [32, 32, 3],
  classes: ["a", "b", "c", "d", "e"],
  budget: { maxParams: 500_000, maxFlopsPerImage: 60_000_000, maxEpochs: 20, maxInputSize: 64, wallClockSeconds: 300, maxBatchSize: 256 },
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseSpec(input);
  } catch (e) {
    if (e instanceof SpecValidationError) return e.issues;
    throw e;
  }
  throw new Error("expected a SpecValidationError");
}

const cnn = (layers: unknown[], extra: object = {}): unknown => ({ kind: "cnn", layers, training, ...extra });

describe("parseSpec", () => {
  it("reads the reference specs of Assignment 6 from YAML, with defaults applied", async () => {
    const a = await loadAssignment("lesson-6");
    for (const rel of a.referenceSpecs) {
      const spec = parseSpec(readFileSync(path.join(a.dir!, rel), "utf8"));
      expect(spec.training.batchSize).toBe(64);
    }
  });

  it("accepts the same spec as JSON text and as an object", () => {
    const obj = cnn([{ type: "flatten" }, { type: "dense", units: 5, activation: "softmax" }]);
    expect(parseSpec(JSON.stringify(obj))).toEqual(parseSpec(obj));
    expect(parseSpec(obj).training).toMatchObject({ optimizer: "adam", learningRate: 0.001, validationSplit: 0.1 });
  });

  it("points each error at its field with a dotted path", () => {
    const issues = issuesOf(cnn([{ type: "conv2d", filters: 0, kernelSize: 3 }], { training: { epochs: 3, learningRate: -1 } }));
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(["layers.0.filters", "training.learningRate"]));
  });

  it("names an unknown layer type and lists the allowed ones", () => {
    const issues = issuesOf(cnn([{ type: "lambda" }]));
    expect(issues[0]!.path).toBe("layers.0.type");
    expect(issues[0]!.message).toContain("conv2d");
  });

  it("flags a misspelt field instead of silently ignoring it", () => {
    const issues = issuesOf(cnn([{ type: "dense", units: 5, activaton: "softmax" }]));
    expect(issues[0]).toEqual({ path: "layers.0", message: 'unknown field "activaton"' });
  });

  it("says when the text is neither JSON nor YAML", () => {
    expect(issuesOf("{ kind: cnn, ")[0]!.message).toMatch(/not valid JSON/);
    expect(issuesOf("kind: [cnn")[0]!.message).toMatch(/not valid YAML/);
    expect(issuesOf("   ")[0]!.message).toBe("the spec is empty");
  });
});

describe("Keras import", () => {
  it("maps a Keras 2 Sequential to_json() of the lesson's CNN to the same layers", () => {
    const spec = parseSpec({ kind: "keras", model: fixture("keras2-sequential.json"), training });
    const a = analyzeSpec(spec, assignment);
    expect(a.layers.map((l) => l.name)).toEqual([
      "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "flatten", "dense", "dense_1",
    ]);
    expect(a.totalParams).toBe(122_245);
    expect(a.outputShape).toEqual([5]);
  });

  it("follows a Keras 2 Functional chain (Rescaling, SeparableConv2D, BatchNormalization, ReLU)", () => {
    const spec = parseSpec({ kind: "keras", model: JSON.parse(fixture("keras2-functional.json")), training });
    const a = analyzeSpec(spec, assignment);
    expect(a.layers.map((l) => l.type)).toEqual([
      "rescaling", "separableConv2d", "batchNormalization", "activation", "globalAveragePooling2d", "dropout", "dense",
    ]);
    expect(a.layers[1]!.outputShape).toEqual([16, 16, 16]);
    expect(checkBudget(a, spec, assignment)).toEqual([]);
  });

  it("reads the config.json of a Keras 3 .keras file", () => {
    const spec = parseSpec({ kind: "keras", model: fixture("keras3-config.json"), training });
    const a = analyzeSpec(spec, assignment);
    expect(a.inputShape).toEqual([32, 32, 3]);
    expect(a.layers.find((l) => l.type === "depthwiseConv2d")!.outputShape).toEqual([16, 16, 32]);
  });

  it("follows a Keras 3 Functional chain through keras_history links", () => {
    const tensor = (from: string) => ({ args: [{ class_name: "__keras_tensor__", config: { shape: [null], dtype: "float32", keras_history: [from, 0, 0] } }], kwargs: {} });
    const model = {
      module: "keras.src.models.functional", class_name: "Functional",
      config: {
        name: "functional",
        layers: [
          { module: "keras.layers", class_name: "InputLayer", config: { batch_shape: [null, 32, 32, 3], name: "input_layer" }, name: "input_layer", inbound_nodes: [] },
          { module: "keras.layers", class_name: "Flatten", config: { name: "flatten" }, name: "flatten", inbound_nodes: [tensor("input_layer")] },
          { module: "keras.layers", class_name: "Dense", config: { name: "out", units: 5, activation: "softmax" }, name: "out", inbound_nodes: [tensor("flatten")] },
        ],
        input_layers: [["input_layer", 0, 0]],
        output_layers: [["out", 0, 0]],
      },
    };
    const a = analyzeSpec(parseSpec({ kind: "keras", model, training }), assignment);
    expect(a.layers.map((l) => l.name)).toEqual(["flatten", "out"]);
    expect(a.totalParams).toBe(3072 * 5 + 5);
  });

  it("refuses a Lambda layer by name", () => {
    const model = JSON.parse(fixture("keras2-sequential.json"));
    model.config.layers.splice(2, 0, { class_name: "Lambda", config: { name: "my_lambda", function: ["4wEAAAAAAAAA", null, null] } });
    const issues = issuesOf({ kind: "keras", model, training });
    expect(issues[0]!.path).toBe("model.config.layers.2.class_name");
    expect(issues[0]!.message).toContain("layer `my_lambda` (Lambda)");
    expect(issues[0]!.message).toContain("Lambda");
  });

  it("refuses a custom Keras 3 class registered outside Keras by name", () => {
    const model = JSON.parse(fixture("keras3-config.json"));
    model.config.layers[2] = { module: "my_project.layers", class_name: "FancyPool", config: { name: "fancy" }, registered_name: "MyProject>FancyPool" };
    const issues = issuesOf({ kind: "keras", model, training });
    expect(issues[0]!.message).toMatch(/layer `fancy` \(FancyPool\) is not an allowed layer/);
  });

  it("refuses settings the grader cannot reproduce, naming the field", () => {
    const model = JSON.parse(fixture("keras2-sequential.json"));
    model.config.layers[1].config.groups = 2;
    model.config.layers[3].config.data_format = "channels_first";
    const issues = issuesOf({ kind: "keras", model, training });
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: "model.config.layers.1.config.groups" }),
      expect.objectContaining({ path: "model.config.layers.3.config.data_format", message: expect.stringMatching(/channels_last/) }),
    ]));
  });

  it("refuses a Functional graph with a branch", () => {
    const model = JSON.parse(fixture("keras2-functional.json"));
    model.config.layers.push({ class_name: "Dense", config: { name: "side", units: 5, activation: "softmax" }, name: "side", inbound_nodes: [[["dropout", 0, 0, {}]]] });
    expect(issuesOf({ kind: "keras", model, training })[0]!.message).toMatch(/feeds 2 layers/);
  });
});

describe("analyzeSpec", () => {
  it("computes the lesson CNN's layer table by hand: shapes, parameters and FLOPs", () => {
    const spec = parseSpec(readFileSync("assignments/lesson-6/specs/simple-cnn.yaml", "utf8"));
    const a = analyzeSpec(spec, assignment);
    expect(a.layers[0]).toMatchObject({ name: "conv2d", outputShape: [30, 30, 32], params: 3 * 3 * 3 * 32 + 32, flops: 2 * 27 * 32 * 900 });
    expect(a.layers[2]).toMatchObject({ outputShape: [13, 13, 64], params: 3 * 3 * 32 * 64 + 64 });
    expect(a.layers[5]).toMatchObject({ type: "flatten", outputShape: [1024] });
    expect(a.totalParams).toBe(896 + 18_496 + 36_928 + 65_600 + 325);
    expect(a.trainableParams).toBe(a.totalParams);
  });

  it("says which layer cannot take its input and what to change", () => {
    const spec = parseSpec(cnn([{ type: "flatten" }, { type: "conv2d", filters: 8, kernelSize: 3 }]));
    expect(() => analyzeSpec(spec, assignment)).toThrow(/layers\.1|conv2d \(conv2d\) needs an image-shaped input/);
    const tiny = parseSpec(cnn(Array.from({ length: 6 }, () => ({ type: "maxPooling2d" }))));
    expect(() => analyzeSpec(tiny, assignment)).toThrow(/does not fit its 1x1 input/);
  });

  it("reads a transfer base's layers from the registry summary, counting only unfrozen ones as trainable", () => {
    const base: BaseSummary = {
      name: "tiny-base", description: "", modelPath: "x", inputShape: [32, 32, 3], preprocessing: { scale: 1, offset: 0 },
      outputShape: [8, 8, 16],
      layers: [
        { name: "b1", type: "Conv2D", outputShape: [16, 16, 8], params: 224, trainableParams: 224, flops: 100 },
        { name: "b2", type: "Conv2D", outputShape: [8, 8, 16], params: 1168, trainableParams: 1168, flops: 200 },
      ],
      totalParams: 1392, flopsPerImage: 300, source: "test",
    };
    const spec = parseSpec({
      kind: "transfer", base: "tiny-base", training,
      head: [{ type: "globalAveragePooling2d" }, { type: "dense", units: 5, activation: "softmax" }],
      fineTune: { unfreezeLast: 1, epochs: 1, learningRate: 0.0001 },
    });
    const a = analyzeSpec(spec, assignment, [base]);
    expect(a.totalParams).toBe(1392 + 16 * 5 + 5);
    expect(a.trainableParams).toBe(1168 + 85);
    expect(() => analyzeSpec({ ...spec, base: "vgg99" } as typeof spec, assignment, [base])).toThrow(UnknownBaseModelError);
  });
});

describe("checkBudget", () => {
  it("names the biggest layer when the model is over the parameter budget", () => {
    const spec = parseSpec(cnn([{ type: "flatten" }, { type: "dense", units: 512 }, { type: "dense", units: 5, activation: "softmax" }]));
    const v = checkBudget(analyzeSpec(spec, assignment), spec, assignment);
    expect(v).toHaveLength(1);
    expect(v[0]!.path).toBe("layers.1");
    expect(v[0]!.message).toContain("dense has 1,573,376 parameters");
    expect(v[0]!.message).toContain("the budget allows 500,000 in total");
  });

  it("reports FLOPs, epochs, batch size, wrong input shape and a missing softmax", () => {
    const spec = parseSpec(cnn(
      [{ type: "conv2d", filters: 256, kernelSize: 3, padding: "same" }, { type: "globalAveragePooling2d" }, { type: "dense", units: 4 }],
      { inputShape: [28, 28, 1], training: { epochs: 50, batchSize: 512 } },
    ));
    const v = checkBudget(analyzeSpec(spec, assignment), spec, assignment);
    const byPath = Object.fromEntries(v.map((i) => [i.path, i.message]));
    expect(byPath["training.epochs"]).toBe("50 epochs requested; the budget allows 20");
    expect(byPath["training.batchSize"]).toMatch(/512/);
    expect(byPath.inputShape).toMatch(/takes input \[28, 28, 1\] but this assignment's images are \[32, 32, 3\]/);
    expect(v.some((i) => i.message.includes("must output one probability per class: [5]"))).toBe(true);
    expect(v.some((i) => i.message.includes("last layer must apply softmax"))).toBe(true);
  });

  it("passes the lesson's simple CNN", () => {
    const spec = parseSpec(readFileSync("assignments/lesson-6/specs/simple-cnn.yaml", "utf8"));
    expect(checkBudget(analyzeSpec(spec, assignment), spec, assignment)).toEqual([]);
  });
});
