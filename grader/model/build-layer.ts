import type { layers as tfLayers } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import type { SeededRandom } from "../random";
import { LAYER_TYPES, pair, type Layer } from "../spec/layers";

/** Any TF.js layer (tfjs exports the base class only as a namespace member). */
type TfLayer = tfLayers.Layer;

/**
 * Builds one TF.js layer from a validated spec layer. Every random initialiser gets its own seed from `rng`, so the
 * submission seed fixes the initial weights.
 * @throws UnknownLayerTypeError on a layer type it does not know (the schema prevents that)
 */
export function buildLayer(tf: Tf, layer: Layer, name: string, rng: SeededRandom): TfLayer {
  const glorot = () => tf.initializers.glorotUniform({ seed: rng.seed() });
  switch (layer.type) {
    case "conv2d":
      return tf.layers.conv2d({
        name, filters: layer.filters, kernelSize: pair(layer.kernelSize), strides: pair(layer.strides),
        padding: layer.padding, activation: layer.activation, useBias: layer.useBias, kernelInitializer: glorot(),
      });
    case "separableConv2d":
      return tf.layers.separableConv2d({
        name, filters: layer.filters, kernelSize: pair(layer.kernelSize), strides: pair(layer.strides),
        padding: layer.padding, depthMultiplier: layer.depthMultiplier, activation: layer.activation,
        useBias: layer.useBias, depthwiseInitializer: glorot(), pointwiseInitializer: glorot(),
      });
    case "depthwiseConv2d":
      return tf.layers.depthwiseConv2d({
        name, kernelSize: pair(layer.kernelSize), strides: pair(layer.strides), padding: layer.padding,
        depthMultiplier: layer.depthMultiplier, activation: layer.activation, useBias: layer.useBias,
        depthwiseInitializer: glorot(),
      });
    case "maxPooling2d":
      return tf.layers.maxPooling2d({
        name, poolSize: pair(layer.poolSize), strides: pair(layer.strides ?? layer.poolSize), padding: layer.padding,
      });
    case "averagePooling2d":
      return tf.layers.averagePooling2d({
        name, poolSize: pair(layer.poolSize), strides: pair(layer.strides ?? layer.poolSize), padding: layer.padding,
      });
    case "globalAveragePooling2d":
      return tf.layers.globalAveragePooling2d({ name });
    case "globalMaxPooling2d":
      return tf.layers.globalMaxPooling2d({ name });
    case "batchNormalization":
      return tf.layers.batchNormalization({ name, momentum: layer.momentum, epsilon: layer.epsilon });
    case "dropout":
      return tf.layers.dropout({ name, rate: layer.rate, seed: rng.seed() });
    case "flatten":
      return tf.layers.flatten({ name });
    case "dense":
      return tf.layers.dense({
        name, units: layer.units, activation: layer.activation, useBias: layer.useBias, kernelInitializer: glorot(),
      });
    case "activation":
      return tf.layers.activation({ name, activation: layer.activation });
    case "rescaling":
      return tf.layers.rescaling({ name, scale: layer.scale, offset: layer.offset });
    default: {
      // Unreachable for a parsed spec: a new layer type added to the schema without a case here fails to compile.
      const unknown: never = layer;
      throw new UnknownLayerTypeError((unknown as { type?: unknown }).type);
    }
  }
}

/** buildLayer was handed a layer type it has no case for: a grader bug (the schema admits only known types). */
export class UnknownLayerTypeError extends Error {
  constructor(type: unknown) {
    super(`buildLayer: no TF.js layer for type ${JSON.stringify(type)}; the allowed types are ${LAYER_TYPES.join(", ")}`);
    this.name = "UnknownLayerTypeError";
  }
}
