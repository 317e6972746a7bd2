import v8 from "node:v8";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { PLAIN_WASM_BASE64, SHARED_WASM_BASE64 } from "./kernels-wasm.generated";

/**
 * The SIMD kernels of kernels.c, instantiated on a WebAssembly backend's own memory, so they read and write its
 * tensors in place. Arguments are tensors of that backend; shapes are the caller's to check.
 */
export interface SimdKernels {
  /** MaxPoolGrad, 2x2 windows, stride 2, no padding, NHWC: dx ← gradient of x given the pooled gradient g. */
  maxPoolGrad2x2(x: TensorInfo, g: TensorInfo, dx: TensorInfo, shape: { batch: number; inH: number; inW: number; c: number; outH: number; outW: number }): void;
  /** out[j] ← Σ_i x[i·inner + j], in row order, float32 partial sums. */
  sumLeading(x: TensorInfo, out: TensorInfo, outer: number, inner: number): void;
  /** Conv2DBackpropFilter, NHWC, dilation 1, outChannels a multiple of 4: dw [kh, kw, in, out] ← from x and dy. */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, dw: TensorInfo, g: FilterGradGeometry): void;
  /** out ← a + bias along the last axis (a seen as [rows, c]). */
  addBias(a: TensorInfo, bias: TensorInfo, out: TensorInfo, rows: number, c: number): void;
  /** out ← dy · step(x), the ReLU gradient, over n values. */
  reluGrad(dy: TensorInfo, x: TensorInfo, out: TensorInfo, n: number): void;
}

/** The convolution's geometry, as backend_util.computeConv2DInfo gives it, with its top and left padding. */
export interface FilterGradGeometry {
  batchSize: number; inHeight: number; inWidth: number; inChannels: number;
  outHeight: number; outWidth: number; outChannels: number;
  filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number; top: number; left: number;
}

interface Exports {
  max_pool_grad_2x2(x: number, g: number, dx: number, batch: number, inH: number, inW: number, c: number, outH: number, outW: number): void;
  sum_leading(x: number, out: number, outer: number, inner: number): void;
  conv2d_backprop_filter(x: number, dy: number, dw: number, ...geometry: number[]): void;
  add_bias(a: number, bias: number, out: number, rows: number, c: number): void;
  relu_grad(dy: number, x: number, out: number, n: number): void;
}

/** What the Emscripten module of tfjs-backend-wasm exposes of its memory: the threaded build imports a shared one. */
interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

interface TensorData {
  memoryOffset: number;
}

const cache = new WeakMap<object, SimdKernels | null>();
let disabledForTests = false;

/** The backend's heap, or undefined when this build of the backend does not expose it. */
function memoryOf(backend: BackendWasm): WebAssembly.Memory | undefined {
  const mod = backend.wasm as unknown as EmscriptenModule;
  const memory = mod.wasmMemory ?? mod.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

/**
 * Compiles straight to V8's optimising tier. By default V8 first runs WebAssembly on its baseline compiler (Liftoff)
 * and swaps in optimised code only for functions that have run hot, and never in the middle of a call; these kernels
 * are few calls with long loops, so a job's first steps would run them at a third of their speed. The flag is set for
 * this one compilation and restored.
 */
function optimizedModule(bytes: Buffer<ArrayBuffer>): WebAssembly.Module {
  v8.setFlagsFromString("--no-liftoff");
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    v8.setFlagsFromString("--liftoff");
  }
}

function instantiate(backend: BackendWasm): SimdKernels | null {
  const memory = memoryOf(backend);
  if (!memory) return null;
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  let exports: Exports;
  try {
    const bytes = Buffer.from(shared ? SHARED_WASM_BASE64 : PLAIN_WASM_BASE64, "base64");
    exports = new WebAssembly.Instance(optimizedModule(bytes), { env: { memory } }).exports as unknown as Exports;
  } catch (e) {
    // A runtime without WebAssembly SIMD: the kernels keep their JavaScript loops.
    console.info(`[grader:backend] SIMD kernels unavailable (${e instanceof Error ? e.message : String(e)}); using JavaScript loops`);
    return null;
  }
  const at = (t: TensorInfo): number => (backend.dataIdMap.get(t.dataId) as unknown as TensorData).memoryOffset;
  return {
    maxPoolGrad2x2: (x, g, dx, s) => exports.max_pool_grad_2x2(at(x), at(g), at(dx), s.batch, s.inH, s.inW, s.c, s.outH, s.outW),
    sumLeading: (x, out, outer, inner) => exports.sum_leading(at(x), at(out), outer, inner),
    conv2dBackpropFilter: (x, dy, dw, g) => exports.conv2d_backprop_filter(at(x), at(dy), at(dw),
      g.batchSize, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.outChannels,
      g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.top, g.left),
    addBias: (a, bias, out, rows, c) => exports.add_bias(at(a), at(bias), at(out), rows, c),
    reluGrad: (dy, x, out, n) => exports.relu_grad(at(dy), at(x), at(out), n),
  };
}

/**
 * The SIMD kernels for this backend instance (instantiated once per backend), or null where they cannot run — then
 * callers use their JavaScript loops, which compute the same float32 values.
 */
export function simdKernels(backend: BackendWasm): SimdKernels | null {
  if (disabledForTests) return null;
  let kernels = cache.get(backend);
  if (kernels === undefined) {
    kernels = instantiate(backend);
    cache.set(backend, kernels);
  }
  return kernels;
}

/** Tests: run the JavaScript loops instead, to compare the two. */
export function setSimdKernelsEnabled(enabled: boolean): void {
  disabledForTests = !enabled;
}
