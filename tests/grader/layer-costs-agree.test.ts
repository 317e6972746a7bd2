import { describe, expect, it } from "vitest";
import { loadTf } from "@/grader/backend/load-tf";
import { buildLayer, UnknownLayerTypeError } from "@/grader/model/build-layer";
import { buildModel } from "@/grader/model/build-model";
import { summarizeModel } from "@/grader/model/summarize-model";
import { SeededRandom } from "@/grader/random";
import { analyzeSpec } from "@/grader/spec/analyze";
import { LAYER_TYPES, type LayerInput, type LayerType } from "@/grader/spec/layers";
import { parseSpec } from "@/grader/spec/schema";

/**
 * The budget is computed twice: from a spec before anything is built (grader/spec/analyze.ts, which the builder, the
 * submit check and the grader enforce) and from a built TF.js model (grader/model/summarize-model.ts, for uploaded
 * models and base summaries). Every allowed layer, in several configurations, goes through both here and must give
 * the same row: output shape, parameters, trainable parameters and FLOPs.
 */

/** The TF.js class each grader layer type builds. */
const TFJS_CLASS: Record<LayerType, string> = {
  conv2d: "Conv2D", separableConv2d: "SeparableConv2D", depthwiseConv2d: "DepthwiseConv2D", maxPooling2d: "MaxPooling2D",
  averagePooling2d: "AveragePooling2D", globalAveragePooling2d: "GlobalAveragePooling2D", globalMaxPooling2d: "GlobalMaxPooling2D",
  batchNormalization: "BatchNormalization", dropout: "Dropout", flatten: "Flatten", dense: "Dense", activation: "Activation",
  rescaling: "Rescaling",
};

/** Odd sizes, so "valid" and "same" padding and strides round differently. */
const INPUT: [number, number, 3] = [9, 11, 3];

/** Each case: layers under test on a [9, 11, 3] input; `image` says whether their output still needs flattening. */
const CASES: { label: string; layers: LayerInput[]; image: boolean }[] = [
  { label: "conv2d 3×3 valid", layers: [{ type: "conv2d", filters: 5, kernelSize: 3, activation: "relu" }], image: true },
  { label: "conv2d 3×2 stride 2 same, no bias", layers: [{ type: "conv2d", filters: 6, kernelSize: [3, 2], strides: 2, padding: "same", useBias: false }], image: true },
  { label: "separableConv2d ×2 same", layers: [{ type: "separableConv2d", filters: 7, kernelSize: 3, depthMultiplier: 2, padding: "same" }], image: true },
  { label: "separableConv2d stride 2, no bias", layers: [{ type: "separableConv2d", filters: 3, kernelSize: 2, strides: 2, useBias: false }], image: true },
  { label: "depthwiseConv2d ×3", layers: [{ type: "depthwiseConv2d", kernelSize: 3, depthMultiplier: 3 }], image: true },
  { label: "depthwiseConv2d 2×3 stride 2 same, no bias", layers: [{ type: "depthwiseConv2d", kernelSize: [2, 3], strides: 2, padding: "same", useBias: false }], image: true },
  { label: "maxPooling2d 2", layers: [{ type: "maxPooling2d", poolSize: 2 }], image: true },
  { label: "maxPooling2d 3 stride 2 same", layers: [{ type: "maxPooling2d", poolSize: 3, strides: 2, padding: "same" }], image: true },
  { label: "averagePooling2d 2×3 stride 1", layers: [{ type: "averagePooling2d", poolSize: [2, 3], strides: 1 }], image: true },
  { label: "averagePooling2d 2 same", layers: [{ type: "averagePooling2d", poolSize: 2, padding: "same" }], image: true },
  { label: "globalAveragePooling2d", layers: [{ type: "globalAveragePooling2d" }], image: false },
  { label: "globalMaxPooling2d", layers: [{ type: "globalMaxPooling2d" }], image: false },
  { label: "batchNormalization on an image", layers: [{ type: "batchNormalization" }], image: true },
  { label: "batchNormalization on a vector", layers: [{ type: "flatten" }, { type: "batchNormalization", momentum: 0.9 }], image: false },
  { label: "dropout", layers: [{ type: "dropout", rate: 0.3 }], image: true },
  { label: "flatten", layers: [{ type: "flatten" }], image: false },
  { label: "dense on an image (last axis)", layers: [{ type: "dense", units: 6, activation: "tanh" }], image: true },
  { label: "dense on a vector, no bias", layers: [{ type: "flatten" }, { type: "dense", units: 8, useBias: false }], image: false },
  { label: "activation", layers: [{ type: "activation", activation: "relu6" }], image: true },
  { label: "rescaling", layers: [{ type: "rescaling", scale: 2, offset: -1 }], image: true },
];

describe("the budget maths from a spec and from the built model agree", () => {
  it("covers every allowed layer type", () => {
    const covered = new Set(CASES.flatMap((c) => c.layers.map((l) => l.type)));
    expect([...covered].sort()).toEqual([...LAYER_TYPES].sort());
  });

  it.each(CASES)("$label: same output shape, parameters, trainable parameters and FLOPs per layer", async ({ layers, image }) => {
    const { tf } = await loadTf();
    const spec = parseSpec({
      kind: "cnn",
      layers: [...layers, ...(image ? [{ type: "flatten" }] : []), { type: "dense", units: 3, activation: "softmax" }],
      training: { epochs: 1 },
    });
    const analysis = analyzeSpec(spec, { inputShape: INPUT });
    const { model } = buildModel(tf, spec, analysis, new SeededRandom(1));
    try {
      const summary = summarizeModel(model);
      expect(summary.layers.map((r) => r.type)).toEqual(analysis.layers.map((r) => TFJS_CLASS[r.type as LayerType]));
      const costs = (rows: { name: string; outputShape: number[]; params: number; trainableParams: number; flops: number }[]) =>
        rows.map(({ name, outputShape, params, trainableParams, flops }) => ({ name, outputShape, params, trainableParams, flops }));
      expect(costs(summary.layers)).toEqual(costs(analysis.layers));
      expect({ total: summary.totalParams, trainable: summary.trainableParams, flops: summary.flopsPerImage, out: summary.outputShape })
        .toEqual({ total: analysis.totalParams, trainable: analysis.trainableParams, flops: analysis.flopsPerImage, out: analysis.outputShape });
    } finally {
      model.dispose();
    }
  });
});

describe("buildLayer", () => {
  it("throws a clear error for a layer type it has no case for, naming the type and the allowed ones", async () => {
    const { tf } = await loadTf();
    const build = () => buildLayer(tf, { type: "lambda", name: "my_lambda" } as never, "my_lambda", new SeededRandom(1));
    expect(build).toThrow(UnknownLayerTypeError);
    expect(build).toThrow(/no TF\.js layer for type "lambda"; the allowed types are conv2d, separableConv2d, .*rescaling/);
  });
});
