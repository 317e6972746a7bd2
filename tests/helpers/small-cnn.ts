/**
 * The layers of the smallest CNN the tests train: a 3×3 convolution (ReLU), 2×2 max-pooling, flatten, and a softmax
 * over `classes` units. Tests name their spec and training block around it.
 */
export function smallCnnLayers(classes: number, filters = 4) {
  return [
    { type: "conv2d", filters, kernelSize: 3, activation: "relu" },
    { type: "maxPooling2d", poolSize: 2 },
    { type: "flatten" },
    { type: "dense", units: classes, activation: "softmax" },
  ];
}
