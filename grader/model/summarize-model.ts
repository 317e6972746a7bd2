import type { LayersModel } from "@tensorflow/tfjs";
import type { LayerRow } from "../spec/layer-row";

export interface ModelSummary {
  /** The same rows the static analysis of a spec computes (tests/grader/layer-costs-agree.test.ts holds them equal). */
  layers: LayerRow[];
  totalParams: number;
  trainableParams: number;
  flopsPerImage: number;
  inputShape: number[];
  outputShape: number[];
}

type AnyLayer = LayersModel["layers"][number];

const dropBatch = (s: unknown): number[] => {
  const shape = Array.isArray(s) && Array.isArray(s[0]) ? (s[0] as unknown[]) : (s as unknown[]);
  return shape.slice(1).map((d) => (typeof d === "number" ? d : -1));
};
const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
const pairOf = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number]);

/**
 * TF.js's SeparableConv2D leaves `depthMultiplier` out of getConfig() (DepthwiseConv2D has it), which made its FLOPs
 * NaN: the layer's own property, else the depthwise kernel's last axis ([kh, kw, cin, multiplier]).
 */
function depthMultiplierOf(layer: AnyLayer, cfg: Record<string, unknown>): number {
  const own = (layer as unknown as { depthMultiplier?: unknown }).depthMultiplier ?? cfg.depthMultiplier;
  if (typeof own === "number") return own;
  const kernel = layer.weights[0]?.shape;
  return typeof kernel?.[3] === "number" ? kernel[3] : 1;
}

/** FLOPs of one layer from its config and shapes; multiply-add = 2, as in grader/spec/analyze.ts. */
function layerFlops(layer: AnyLayer, input: number[], output: number[]): number {
  const cfg = layer.getConfig() as Record<string, unknown>;
  const outSpatial = output.length === 3 ? output[0]! * output[1]! : 0;
  const cin = input[input.length - 1] ?? 0;
  switch (layer.getClassName()) {
    case "Conv2D": {
      const [kh, kw] = pairOf(cfg.kernelSize);
      return 2 * kh * kw * cin * (cfg.filters as number) * outSpatial;
    }
    case "DepthwiseConv2D": {
      const [kh, kw] = pairOf(cfg.kernelSize);
      return 2 * kh * kw * cin * depthMultiplierOf(layer, cfg) * outSpatial;
    }
    case "SeparableConv2D": {
      const [kh, kw] = pairOf(cfg.kernelSize);
      const mid = cin * depthMultiplierOf(layer, cfg);
      return 2 * (kh * kw * mid + mid * (cfg.filters as number)) * outSpatial;
    }
    case "Dense":
      return 2 * product(input) * (cfg.units as number);
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const [kh, kw] = pairOf(cfg.poolSize);
      return kh * kw * product(output);
    }
    case "GlobalAveragePooling2D":
    case "GlobalMaxPooling2D":
    case "Activation":
      return product(input);
    case "BatchNormalization":
    case "Rescaling":
      return 2 * product(input);
    default:
      return 0;
  }
}

function sizeOf(weights: { shape: (number | null)[] }[]): number {
  return weights.reduce((a, w) => a + product(w.shape.map((d) => d ?? 0)), 0);
}

/**
 * The layer table of a built or loaded TF.js model: used in evaluate mode (uploaded models) and to write the
 * registry summary of a pretrained base. Nested models are expanded into their layers.
 */
export function summarizeModel(model: LayersModel): ModelSummary {
  const rows: LayerRow[] = [];
  const visit = (layers: AnyLayer[]): void => {
    for (const layer of layers) {
      const cls = layer.getClassName();
      if (cls === "InputLayer") continue;
      const inner = (layer as unknown as { layers?: AnyLayer[] }).layers;
      if (Array.isArray(inner)) {
        visit(inner);
        continue;
      }
      const input = dropBatch(layer.inboundNodes[0]?.inputShapes);
      const output = dropBatch(layer.outputShape);
      rows.push({
        name: layer.name,
        type: cls,
        outputShape: output,
        params: layer.countParams(),
        trainableParams: sizeOf(layer.trainableWeights),
        flops: layerFlops(layer, input, output),
      });
    }
  };
  visit(model.layers);
  return {
    layers: rows,
    totalParams: rows.reduce((a, r) => a + r.params, 0),
    trainableParams: rows.reduce((a, r) => a + r.trainableParams, 0),
    flopsPerImage: rows.reduce((a, r) => a + r.flops, 0),
    inputShape: dropBatch(model.inputs[0]!.shape),
    outputShape: dropBatch(model.outputs[0]!.shape),
  };
}
