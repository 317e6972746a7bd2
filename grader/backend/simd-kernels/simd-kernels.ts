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
}

interface Exports {
  max_pool_grad_2x2(x: number, g: number, dx: number, batch: number, inH: number, inW: number, c: number, outH: number, outW: number): void;
  sum_leading(x: number, out: number, outer: number, inner: number): void;
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

function instantiate(backend: BackendWasm): SimdKernels | null {
  const memory = memoryOf(backend);
  if (!memory) return null;
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  let exports: Exports;
  try {
    const bytes = Buffer.from(shared ? SHARED_WASM_BASE64 : PLAIN_WASM_BASE64, "base64");
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as Exports;
  } catch (e) {
    // A runtime without WebAssembly SIMD: the kernels keep their JavaScript loops.
    console.info(`[grader:backend] SIMD kernels unavailable (${e instanceof Error ? e.message : String(e)}); using JavaScript loops`);
    return null;
  }
  const at = (t: TensorInfo): number => (backend.dataIdMap.get(t.dataId) as unknown as TensorData).memoryOffset;
  return {
    maxPoolGrad2x2: (x, g, dx, s) => exports.max_pool_grad_2x2(at(x), at(g), at(dx), s.batch, s.inH, s.inW, s.c, s.outH, s.outW),
    sumLeading: (x, out, outer, inner) => exports.sum_leading(at(x), at(out), outer, inner),
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
