import { beforeAll, describe, expect, it } from "vitest";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { conv2dBackpropFilterKernel } from "@/grader/backend/wasm-kernels/conv2d-backprop-filter";
import type { Tensor } from "@tensorflow/tfjs";
import { maxRelError, seededValues, worstErrorAgainstCpu } from "../helpers/compare-backends";

/**
 * The WebAssembly backend trains conv nets only through the project's own gradient kernels; they must agree with the
 * pure-JS CPU backend's reference implementation to 1e-4 relative (max-norm).
 */

let tf: Tf;

beforeAll(async () => {
  const loaded = await loadTf();
  tf = loaded.tf;
  expect(loaded.backend).toBe("wasm");
});

type Shape4 = [number, number, number, number];

const data = seededValues;

/** The wasm gradients of `fn` agree with the CPU backend's to 1e-4 relative (max-norm). */
async function compare(fn: () => { grads: Tensor[] }): Promise<void> {
  expect(await worstErrorAgainstCpu(tf, () => fn().grads)).toBeLessThan(1e-4);
}

describe("wasm Conv2DBackpropFilter", () => {
  // The faster kernels of grader/backend/fast-kernels may replace this one on the engine, so it is called directly.
  const cases: { name: string; x: Shape4; f: Shape4; stride: [number, number]; pad: "valid" | "same" }[] = [
    { name: "3x3, stride 1, valid", x: [2, 9, 9, 3], f: [3, 3, 3, 4], stride: [1, 1], pad: "valid" },
    { name: "3x3, stride 2, same, odd input", x: [2, 11, 7, 2], f: [3, 3, 2, 5], stride: [2, 2], pad: "same" },
    { name: "5x5, stride [2, 1], valid", x: [1, 12, 10, 3], f: [5, 5, 3, 2], stride: [2, 1], pad: "valid" },
    { name: "1x1 pointwise", x: [3, 6, 6, 4], f: [1, 1, 4, 6], stride: [1, 1], pad: "same" },
    { name: "2x2, stride 2, same, even input", x: [2, 8, 8, 3], f: [2, 2, 3, 3], stride: [2, 2], pad: "same" },
  ];
  for (const c of cases) {
    it(`matches the CPU filter gradient for ${c.name}`, async () => {
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: undefined, filterShape: c.f };
      const inputs = () => {
        const x = tf.tensor4d(data(c.x.reduce((a, b) => a * b), 1), c.x);
        const probe = tf.conv2d(x, tf.zeros(c.f) as import("@tensorflow/tfjs").Tensor4D, c.stride, c.pad);
        const dy = tf.tensor(data(probe.size, 3), probe.shape);
        probe.dispose();
        return { x, dy };
      };
      await tf.setBackend("cpu");
      const cpu = inputs();
      const reference = tf.engine().runKernel("Conv2DBackpropFilter", cpu, attrs as unknown as import("@tensorflow/tfjs").NamedAttrMap) as import("@tensorflow/tfjs").Tensor;
      const expected = (await reference.data()) as Float32Array;
      tf.dispose([reference, cpu.x, cpu.dy]);

      await tf.setBackend("wasm");
      const wasm = inputs();
      const out = conv2dBackpropFilterKernel("wasm").kernelFunc({ inputs: wasm, backend: tf.backend(), attrs: attrs as unknown as import("@tensorflow/tfjs").NamedAttrMap });
      const info = Array.isArray(out) ? out[0]! : out;
      const result = tf.engine().makeTensorFromTensorInfo(info);
      expect(result.shape).toEqual(c.f);
      const actual = (await result.data()) as Float32Array;
      tf.dispose([result, wasm.x, wasm.dy]);
      expect(maxRelError(actual, expected)).toBeLessThan(1e-4);
    });
  }
});

describe("wasm depthwise backprop kernels", () => {
  const cases: { name: string; x: Shape4; f: Shape4; stride: number; pad: "valid" | "same"; dilation: number }[] = [
    { name: "3x3, multiplier 1, stride 1, same", x: [2, 8, 8, 3], f: [3, 3, 3, 1], stride: 1, pad: "same", dilation: 1 },
    { name: "3x3, multiplier 2, stride 2, valid", x: [2, 9, 11, 2], f: [3, 3, 2, 2], stride: 2, pad: "valid", dilation: 1 },
    { name: "3x3, multiplier 3, stride 2, same", x: [1, 10, 7, 4], f: [3, 3, 4, 3], stride: 2, pad: "same", dilation: 1 },
    // (tfjs-core itself refuses depthwise gradients with dilation > 1, so there is no dilated case to compare.)
    { name: "2x2, multiplier 2, stride 1, same", x: [2, 7, 7, 3], f: [2, 2, 3, 2], stride: 1, pad: "same", dilation: 1 },
    { name: "5x5, stride 1, valid", x: [1, 9, 8, 2], f: [5, 5, 2, 2], stride: 1, pad: "valid", dilation: 1 },
  ];
  for (const c of cases) {
    it(`matches the CPU filter and input gradients for ${c.name}`, async () => {
      await compare(() => {
        const x = tf.tensor4d(data(c.x.reduce((a, b) => a * b), 4), c.x);
        const f = tf.tensor4d(data(c.f.reduce((a, b) => a * b), 5), c.f);
        const probe = tf.depthwiseConv2d(x, f, c.stride, c.pad, "NHWC", c.dilation);
        const w = tf.tensor(data(probe.size, 6), probe.shape);
        const grads = tf.grads((xx, ff) =>
          tf.depthwiseConv2d(xx as import("@tensorflow/tfjs").Tensor4D, ff as import("@tensorflow/tfjs").Tensor4D, c.stride, c.pad, "NHWC", c.dilation).mul(w).sum(),
        )([x, f]);
        tf.dispose([x, f, probe, w]);
        return { grads };
      });
    });
  }
});

describe("the kernels leak nothing", () => {
  it("leaves the tensor count and the backend's data count unchanged after a conv and a depthwise gradient", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor4d(data(2 * 8 * 8 * 3, 7), [2, 8, 8, 3]);
    const f = tf.tensor4d(data(3 * 3 * 3 * 4, 8), [3, 3, 3, 4]);
    const d = tf.tensor4d(data(3 * 3 * 3 * 2, 9), [3, 3, 3, 2]);
    const before = tf.memory().numTensors;
    const backendBefore = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) {
      const g = tf.grads((xx, ff, dd) => tf.add(
        tf.conv2d(xx as import("@tensorflow/tfjs").Tensor4D, ff as import("@tensorflow/tfjs").Tensor4D, 2, "same").sum(),
        tf.depthwiseConv2d(xx as import("@tensorflow/tfjs").Tensor4D, dd as import("@tensorflow/tfjs").Tensor4D, 2, "same").sum(),
      ))([x, f, d]);
      tf.dispose(g);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(backendBefore);
    tf.dispose([x, f, d]);
  });
});
