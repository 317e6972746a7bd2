import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Tensor4D } from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerFastKernels } from "@/grader/backend/fast-kernels/register-fast-kernels";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { PLAIN_WASM_BASE64, SOURCE_SHA256 } from "@/grader/backend/simd-kernels/kernels-wasm.generated";
import { setSimdKernelsEnabled } from "@/grader/backend/simd-kernels/simd-kernels";
import { seededValues } from "../helpers/compare-backends";

/**
 * The WebAssembly SIMD kernels (grader/backend/simd-kernels/kernels.c) must give bit for bit what the JavaScript loops
 * they replace give — so a seed trains the same model — write nothing but their output in the backend's shared heap,
 * and be the build of the committed source.
 */

let tf: Tf;
const DIR = path.join(process.cwd(), "grader", "backend", "simd-kernels");

beforeAll(async () => {
  const loaded = await loadTf();
  tf = loaded.tf;
  expect(loaded.backend).toBe("wasm");
  registerFastKernels("wasm");
  await tf.setBackend("wasm");
});

afterEach(() => setSimdKernelsEnabled(true));

/**
 * The same computation with the SIMD kernels and with the JavaScript loops; the float32 bits of each output, except
 * that every NaN is written as one NaN (its sign and payload are not defined by WebAssembly or by JavaScript).
 */
async function bothWays(fn: () => Tensor4D | import("@tensorflow/tfjs").Tensor): Promise<{ simd: Uint32Array; js: Uint32Array }> {
  const run = async (simd: boolean): Promise<Uint32Array> => {
    setSimdKernelsEnabled(simd);
    const t = fn();
    const values = ((await t.data()) as Float32Array).map((v) => (Number.isNaN(v) ? Number.NaN : v));
    t.dispose();
    return new Uint32Array(values.buffer).map((b) => ((b & 0x7fffffff) > 0x7f800000 ? 0x7fc00000 : b));
  };
  return { simd: await run(true), js: await run(false) };
}

/** Values a ReLU network pools: many exact zeros (ties), negative zeros, and a sprinkling of NaN and ±Infinity. */
function awkwardValues(n: number, seed: number): Float32Array {
  const v = seededValues(n, seed);
  for (let i = 0; i < n; i++) {
    const r = Math.abs(v[(i * 7919) % n]!);
    if (r < 0.2) v[i] = 0;
    else if (r < 0.22) v[i] = -0;
    else if (r < 0.225) v[i] = Number.NaN;
    else if (r < 0.23) v[i] = Number.NEGATIVE_INFINITY;
    else if (r < 0.232) v[i] = Number.POSITIVE_INFINITY;
    else if (r < 0.25) v[i] = v[(i + 1) % n]!; // a tie with a neighbour
  }
  return v;
}

describe("MaxPoolGrad as WebAssembly SIMD", () => {
  const shapes: { name: string; shape: [number, number, number, number] }[] = [
    { name: "the lesson CNN's first pooling", shape: [4, 30, 30, 32] },
    { name: "odd rows and columns (the last ones get no gradient)", shape: [3, 13, 11, 64] },
    { name: "channels not a multiple of four", shape: [2, 8, 10, 7] },
    { name: "one channel", shape: [2, 6, 6, 1] },
  ];
  for (const { name, shape } of shapes) {
    it(`matches the JavaScript loop bit for bit, with ties, -0, NaN and infinities: ${name}`, async () => {
      const [n, h, w, c] = shape;
      const pooled = [n, Math.floor(h / 2), Math.floor(w / 2), c];
      const x = tf.tensor4d(awkwardValues(n * h * w * c, 3), shape);
      const g = tf.tensor(awkwardValues(pooled.reduce((a, b) => a * b, 1), 4), pooled);
      const { simd, js } = await bothWays(() => tf.engine().runKernel("MaxPoolGrad", { dy: g, input: x, output: x }, {
        filterSize: 2, strides: 2, pad: "valid",
      }) as Tensor4D);
      expect(simd.length).toBe(n * h * w * c);
      expect(simd).toEqual(js);
      tf.dispose([x, g]);
    });
  }
});

describe("Sum over leading axes as WebAssembly SIMD", () => {
  for (const shape of [[64, 30, 30, 32], [5, 7, 3], [9, 17], [1, 4]]) {
    it(`matches the JavaScript loop bit for bit for ${JSON.stringify(shape)}`, async () => {
      const x = tf.tensor(awkwardValues(shape.reduce((a, b) => a * b, 1), 5), shape);
      const axes = shape.slice(0, -1).map((_, i) => i);
      const { simd, js } = await bothWays(() => tf.sum(x, axes));
      expect(simd.length).toBe(shape.at(-1));
      expect(simd).toEqual(js);
      x.dispose();
    });
  }
});

describe("bias Add and the ReLU gradient as WebAssembly SIMD", () => {
  for (const shape of [[4, 30, 30, 32], [3, 5, 7], [6, 10]]) {
    it(`add a bias along the last axis as the backend does, bit for bit: ${JSON.stringify(shape)}`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const a = tf.tensor(awkwardValues(n, 8), shape);
      const bias = tf.tensor1d(awkwardValues(shape.at(-1)!, 9));
      const { simd, js } = await bothWays(() => tf.add(a, bias));
      expect(simd.length).toBe(n);
      expect(simd).toEqual(js);
      tf.dispose([a, bias]);
    });

    it(`give ReLU's gradient as Step, Cast and Mul do, bit for bit (-0 and NaN included): ${JSON.stringify(shape)}`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(awkwardValues(n, 10), shape);
      const dy = tf.tensor(awkwardValues(n, 11).map((v) => v - 0.1), shape);
      const { simd, js } = await bothWays(() => tf.grad((t) => tf.relu(t))(x, dy));
      expect(simd.length).toBe(n);
      expect(simd).toEqual(js);
      // Not a vacuous comparison: negative zeros and NaNs are there to be kept.
      expect(simd.some((b) => b === 0x80000000)).toBe(true);
      expect(simd.some((b) => b === 0x7fc00000)).toBe(true);
      tf.dispose([x, dy]);
    });
  }
});

describe("Conv2DBackpropFilter as WebAssembly SIMD", () => {
  type Pad = "valid" | "same" | [[0, 0], [number, number], [number, number], [0, 0]];
  // Output channels a multiple of 4 (the SIMD form's condition); input channels and output channels with tails.
  const cases: { name: string; x: number[]; f: [number, number, number, number]; stride: number | [number, number]; pad: Pad }[] = [
    { name: "the lesson CNN's first convolution (3 input channels)", x: [8, 32, 32, 3], f: [3, 3, 3, 32], stride: 1, pad: "valid" },
    { name: "stride 2, same padding, odd input", x: [2, 11, 7, 5], f: [3, 3, 5, 8], stride: 2, pad: "same" },
    { name: "5x5, stride [2, 1], 20 output channels (16 + 4)", x: [2, 12, 10, 6], f: [5, 5, 6, 20], stride: [2, 1], pad: "valid" },
    { name: "4x4, stride 2, asymmetric same padding", x: [3, 9, 8, 2], f: [4, 4, 2, 12], stride: 2, pad: "same" },
    { name: "explicit padding wider than the filter", x: [2, 6, 7, 3], f: [3, 3, 3, 4], stride: 1, pad: [[0, 0], [3, 1], [0, 4], [0, 0]] },
    { name: "1x1 pointwise, stride 2", x: [3, 7, 7, 4], f: [1, 1, 4, 16], stride: 2, pad: "same" },
  ];
  for (const c of cases) {
    it(`agrees with the XNNPACK formulation to 1e-5: ${c.name}`, async () => {
      const x = tf.tensor4d(seededValues(c.x.reduce((a, b) => a * b, 1), 6), c.x as [number, number, number, number]);
      const probe = tf.conv2d(x, tf.zeros(c.f) as Tensor4D, c.stride, c.pad);
      const dy = tf.tensor(seededValues(probe.size, 7), probe.shape);
      const grad = async (simd: boolean): Promise<Float32Array> => {
        setSimdKernelsEnabled(simd);
        const t = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
          strides: c.stride, pad: c.pad, dataFormat: "NHWC", filterShape: c.f,
        }) as Tensor4D;
        const v = (await t.data()) as Float32Array;
        t.dispose();
        return v;
      };
      const [ours, theirs] = [await grad(true), await grad(false)];
      const scale = Math.max(...theirs.map(Math.abs));
      const worst = Math.max(...ours.map((v, i) => Math.abs(v - theirs[i]!)));
      expect(ours.length).toBe(c.f.reduce((a, b) => a * b, 1));
      expect(worst / scale).toBeLessThan(1e-5);
      tf.dispose([x, probe, dy]);
    });
  }
});

describe("the SIMD module in a heap it shares", () => {
  it("writes only its output: every other byte of the memory is unchanged, at instantiation and after each kernel", () => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    const heap = new Uint8Array(memory.buffer);
    for (let i = 0; i < heap.length; i++) heap[i] = (i * 31 + 7) & 0xff;
    const before = heap.slice();
    const mod = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(PLAIN_WASM_BASE64, "base64")), { env: { memory } });
    expect(heap).toEqual(before);
    const k = mod.exports as unknown as {
      max_pool_grad_2x2(...a: number[]): void;
      sum_leading(...a: number[]): void;
    };
    const f32 = new Float32Array(memory.buffer);
    // x [1, 5, 4, 3] at float 1,000; g [1, 2, 2, 3] at 2,000; dx at 3,000 (60 floats); the sum's output at 4,000.
    f32.set(seededValues(60, 1), 1000);
    f32.set(seededValues(12, 2), 2000);
    const snapshot = heap.slice();
    k.max_pool_grad_2x2(4000, 8000, 12000, 1, 5, 4, 3, 2, 2);
    k.sum_leading(4000, 16000, 20, 3);
    for (let i = 0; i < heap.length; i++) {
      const inDx = i >= 12000 && i < 12000 + 60 * 4;
      const inSum = i >= 16000 && i < 16000 + 3 * 4;
      if (!inDx && !inSum && heap[i] !== snapshot[i]) throw new Error(`byte ${i} changed outside the outputs`);
    }
    expect(Array.from(f32.subarray(4000, 4003)).every(Number.isFinite)).toBe(true);
  });

  it("is the build of the committed kernels.c", () => {
    const sha = createHash("sha256").update(readFileSync(path.join(DIR, "kernels.c"))).digest("hex");
    expect(sha, "kernels.c changed: run node scripts/build-simd-kernels.mjs").toBe(SOURCE_SHA256);
  });

  // .ci/run installs clang and lld; elsewhere only the hash above is checked.
  const clang = (() => {
    try {
      execFileSync("clang", ["--version"], { stdio: "ignore" });
      execFileSync("wasm-ld", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!clang)("compiles from kernels.c to exactly the committed bytes", () => {
    execFileSync(process.execPath, ["scripts/build-simd-kernels.mjs", "--check"], { stdio: "pipe" });
  });
});

describe("Identity without a copy", () => {
  it("shares the input's buffer, and the buffer lives until both tensors are disposed", async () => {
    const x = tf.tensor1d([1, -0, Number.NaN, 4]);
    const before = tf.engine().backend.numDataIds();
    const y = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    x.dispose();
    expect(Array.from(new Uint32Array(((await y.data()) as Float32Array).slice().buffer)))
      .toEqual(Array.from(new Uint32Array(new Float32Array([1, -0, Number.NaN, 4]).buffer)));
    y.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before - 1);
  });
});
