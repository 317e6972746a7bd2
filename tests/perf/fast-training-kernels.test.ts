import type { Tensor, Tensor4D } from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerFastKernels } from "@/grader/backend/fast-kernels/register-fast-kernels";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { seededValues, worstErrorAgainstCpu } from "../helpers/compare-backends";

/**
 * The fast WebAssembly training kernels must give the CPU backend's results to 1e-4 relative (max-norm): on strides
 * 1 and 2, `same` and `valid` padding, odd sizes, and the ties a ReLU leaves in max-pooling windows.
 */

const TOLERANCE = 1e-4;
type Shape4 = [number, number, number, number];

let tf: Tf;

beforeAll(async () => {
  const loaded = await loadTf();
  tf = loaded.tf;
  expect(loaded.backend).toBe("wasm");
  // loadTf registers them unless TG_WASM_FAST_KERNELS=off; this file tests them either way.
  registerFastKernels("wasm");
});

afterAll(async () => {
  await tf.setBackend("wasm");
});

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const tensor4 = (shape: Shape4, seed: number) => tf.tensor4d(seededValues(size(shape), seed), shape);

describe("fast kernel registration", () => {
  it("replaces the slow wasm training kernels once, and a second call changes nothing", () => {
    expect(registerFastKernels("wasm")).toEqual([]);
    for (const name of ["Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPoolGrad", "BatchMatMul", "Sum"]) {
      expect(tf.getKernel(name, "wasm")).toBeDefined();
    }
  });
});

describe("convolution gradients (Conv2DBackpropInput and Conv2DBackpropFilter)", () => {
  type Pad = "valid" | "same" | [[0, 0], [number, number], [number, number], [0, 0]];
  const cases: { name: string; x: Shape4; f: Shape4; stride: number | [number, number]; pad: Pad }[] = [
    { name: "3x3, stride 1, valid", x: [2, 9, 9, 3], f: [3, 3, 3, 4], stride: 1, pad: "valid" },
    { name: "3x3, stride 1, same, odd non-square input", x: [2, 7, 9, 3], f: [3, 3, 3, 4], stride: 1, pad: "same" },
    { name: "3x3, stride 2, same, odd input", x: [2, 11, 7, 2], f: [3, 3, 2, 5], stride: 2, pad: "same" },
    { name: "3x3, stride 2, valid, odd input (last row never read)", x: [2, 10, 9, 3], f: [3, 3, 3, 4], stride: 2, pad: "valid" },
    { name: "5x5, stride [2, 1], valid", x: [1, 12, 10, 3], f: [5, 5, 3, 2], stride: [2, 1], pad: "valid" },
    { name: "4x4, stride 2, same (asymmetric padding)", x: [2, 9, 8, 2], f: [4, 4, 2, 3], stride: 2, pad: "same" },
    { name: "1x1 pointwise, stride 2", x: [3, 7, 7, 4], f: [1, 1, 4, 6], stride: 2, pad: "same" },
    { name: "explicit padding wider than the filter", x: [2, 6, 7, 2], f: [3, 3, 2, 3], stride: 1, pad: [[0, 0], [3, 1], [0, 4], [0, 0]] },
    { name: "the simple CNN's second convolution", x: [4, 15, 15, 32], f: [3, 3, 32, 64], stride: 1, pad: "valid" },
    { name: "one grayscale image (batch 1, one input channel)", x: [1, 8, 9, 1], f: [3, 3, 1, 2], stride: 1, pad: "same" },
  ];
  for (const c of cases) {
    it(`match the CPU input and filter gradients for ${c.name}`, async () => {
      const worst = await worstErrorAgainstCpu(tf, () => {
        const x = tensor4(c.x, 1);
        const f = tensor4(c.f, 2);
        const probe = tf.conv2d(x, f, c.stride, c.pad);
        const w = tf.tensor(seededValues(probe.size, 3), probe.shape);
        const grads = tf.grads((xx, ff) => tf.conv2d(xx as Tensor4D, ff as Tensor4D, c.stride, c.pad).mul(w).sum())([x, f]);
        tf.dispose([x, f, probe, w]);
        return grads;
      });
      expect(worst).toBeLessThan(TOLERANCE);
    });
  }
});

describe("max-pooling gradient (MaxPoolGrad)", () => {
  const cases: { name: string; x: Shape4; size: number; stride: number; pad: "valid" | "same"; ties: "relu" | "quantized" }[] = [
    { name: "2x2, stride 2, valid, odd input after a ReLU", x: [2, 15, 15, 5], size: 2, stride: 2, pad: "valid", ties: "relu" },
    { name: "3x3, stride 2, same, odd input (overlapping, padded windows)", x: [2, 9, 11, 3], size: 3, stride: 2, pad: "same", ties: "relu" },
    { name: "3x3, stride 1, same (every pixel in nine windows)", x: [1, 7, 6, 4], size: 3, stride: 1, pad: "same", ties: "quantized" },
    { name: "2x2, stride 2, same, odd input with tied maxima", x: [2, 7, 9, 3], size: 2, stride: 2, pad: "same", ties: "quantized" },
  ];
  for (const c of cases) {
    it(`gives each window's gradient to its first maximum, as on CPU, for ${c.name}`, async () => {
      const worst = await worstErrorAgainstCpu(tf, () => {
        const raw = tensor4(c.x, 4);
        // ReLU zeros and coarse quantisation both put several equal maxima in one window.
        const x = c.ties === "relu" ? tf.relu(raw) : tf.div(tf.round(tf.mul(raw, 4)), 4);
        const probe = tf.maxPool(x as Tensor4D, c.size, c.stride, c.pad);
        const w = tf.tensor(seededValues(probe.size, 5), probe.shape);
        const [dx] = tf.grads((xx) => tf.maxPool(xx as Tensor4D, c.size, c.stride, c.pad).mul(w).sum())([x]);
        tf.dispose([raw, x, probe, w]);
        return [dx!];
      });
      expect(worst).toBeLessThan(TOLERANCE);
    });
  }
});

describe("matrix products (BatchMatMul)", () => {
  const cases: { name: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
    { name: "plain", a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
    { name: "transposed A", a: [7, 5], b: [7, 3], transposeA: true, transposeB: false },
    { name: "transposed B", a: [5, 7], b: [3, 7], transposeA: false, transposeB: true },
    { name: "both transposed, rank 3 with batch 1", a: [1, 7, 5], b: [1, 3, 7], transposeA: true, transposeB: true },
    { name: "a batch of 3 (left to the backend)", a: [3, 7, 5], b: [3, 7, 4], transposeA: true, transposeB: false },
  ];
  for (const c of cases) {
    it(`matches the CPU product and its gradients: ${c.name}`, async () => {
      const worst = await worstErrorAgainstCpu(tf, () => {
        const a = tf.tensor(seededValues(size(c.a), 6), c.a);
        const b = tf.tensor(seededValues(size(c.b), 7), c.b);
        const product = tf.matMul(a, b, c.transposeA, c.transposeB);
        const w = tf.tensor(seededValues(product.size, 8), product.shape);
        const grads = tf.grads((aa, bb) => tf.matMul(aa!, bb!, c.transposeA, c.transposeB).mul(w).sum())([a, b]);
        tf.dispose([a, b, w]);
        return [product, ...grads];
      });
      expect(worst).toBeLessThan(TOLERANCE);
    });
  }
});

describe("sums (Sum over leading axes: bias gradients)", () => {
  const cases: { name: string; shape: number[]; axis: number | number[] | null; keepDims: boolean }[] = [
    { name: "a convolution's bias gradient, [8, 30, 30, 32] over batch, rows and columns", shape: [8, 30, 30, 32], axis: [0, 1, 2], keepDims: false },
    { name: "a dense layer's, over the batch only", shape: [64, 10], axis: 0, keepDims: false },
    { name: "axes given out of order, dimensions kept", shape: [3, 4, 5, 6], axis: [1, 0], keepDims: true },
    { name: "inner axes (left to the backend)", shape: [3, 4, 5], axis: [2], keepDims: false },
    { name: "every axis (left to the backend)", shape: [3, 4, 5], axis: null, keepDims: false },
  ];
  for (const c of cases) {
    it(`matches the CPU sum and its shape: ${c.name}`, async () => {
      const sum = () => tf.tidy(() => tf.sum(tf.tensor(seededValues(size(c.shape), 9), c.shape), c.axis ?? undefined, c.keepDims));
      expect(await worstErrorAgainstCpu(tf, () => [sum()])).toBeLessThan(TOLERANCE);
      await tf.setBackend("cpu");
      const expected = sum();
      await tf.setBackend("wasm");
      const actual = sum();
      expect(actual.shape).toEqual(expected.shape);
      tf.dispose([expected, actual]);
    });
  }
});

describe("sums, bit for bit", () => {
  it("gives exactly the backend's own result (its transpose, then row sums), so training with a seed does not change", async () => {
    const x = tf.tensor4d(seededValues(8 * 30 * 30 * 32, 10), [8, 30, 30, 32]);
    const ours = tf.sum(x, [0, 1, 2]);
    const backends = tf.sum(tf.reshape(tf.transpose(x, [3, 0, 1, 2]), [32, 8 * 30 * 30]), 1);
    expect(Array.from(await ours.data())).toEqual(Array.from(await backends.data()));
    tf.dispose([x, ours, backends]);
  });
});

describe("a whole training step of the syllabus's simple CNN", () => {
  it("gives every weight the CPU backend's gradient", async () => {
    const shapes: number[][] = [
      [3, 3, 3, 32], [32], [3, 3, 32, 64], [64], [3, 3, 64, 64], [64], [1024, 64], [64], [64, 10], [10],
    ];
    const worst = await worstErrorAgainstCpu(tf, () => {
      // He-style scale so activations neither vanish nor explode through five layers.
      const weights = shapes.map((s, i) => tf.mul(tf.tensor(seededValues(size(s), 10 + i), s), s.length > 1 ? Math.sqrt(24 / size(s.slice(0, -1))) : 0.1));
      const x = tf.add(tensor4([4, 32, 32, 3], 9), 0.5);
      const labels = tf.oneHot(tf.tensor1d([1, 7, 3, 9], "int32"), 10);
      const loss = (...w: Tensor[]) => {
        const conv = (t: Tensor, k: number) => tf.relu(tf.add(tf.conv2d(t as Tensor4D, w[k] as Tensor4D, 1, "valid"), w[k + 1]!));
        const pooled1 = tf.maxPool(conv(x, 0) as Tensor4D, 2, 2, "valid");
        const pooled2 = tf.maxPool(conv(pooled1, 2) as Tensor4D, 2, 2, "valid");
        const flat = tf.reshape(conv(pooled2, 4), [4, 1024]);
        const dense = tf.relu(tf.add(tf.matMul(flat, w[6]!), w[7]!));
        const logits = tf.add(tf.matMul(dense, w[8]!), w[9]!);
        return tf.losses.softmaxCrossEntropy(labels, logits);
      };
      const grads = tf.grads(loss)(weights);
      tf.dispose([...weights, x, labels]);
      return grads;
    });
    expect(worst).toBeLessThan(TOLERANCE);
  });
});

describe("buffers", () => {
  it("frees every intermediate buffer of the fast kernels across training steps", async () => {
    await tf.setBackend("wasm");
    const x = tensor4([8, 13, 11, 6], 20);
    const f = tf.variable(tensor4([3, 3, 6, 8], 21));
    const w = tf.variable(tf.tensor2d(seededValues(8 * 3, 22), [8, 3]));
    const optimizer = tf.train.adam(0.01);
    const step = () => tf.tidy(() => {
      optimizer.minimize(() => {
        const c = tf.conv2d(x, f as unknown as Tensor4D, 2, "same");
        const pooled = tf.maxPool(tf.relu(c) as Tensor4D, 2, 2, "valid");
        const flat = tf.mean(pooled, [1, 2]);
        return tf.sum(tf.square(tf.matMul(flat, w)));
      }, false, [f, w]);
    });
    step();
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    optimizer.dispose();
    tf.dispose([x, f, w]);
  });
});
