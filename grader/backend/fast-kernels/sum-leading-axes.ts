import { util, type KernelConfig, type KernelFunc, type SumAttrs, type TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels } from "../simd-kernels/simd-kernels";

/**
 * `Sum` over leading axes — the bias gradient of every convolution and dense layer, dy summed over batch, rows and
 * columns down to one value per channel — as one streaming pass over the module's heap. The WebAssembly backend
 * reduces only the innermost axes, so for these it first transposes the whole gradient (for the lesson's first
 * convolution, 1.8 million values) and then sums rows; a profile of one training step put that Sum at a fifth of the
 * step. Here each input row of `inner` values is added, in order, into float32 accumulators: the same additions in
 * the same order as the backend's transposed row sums, so the results are bitwise the same and so is training with
 * a given seed. The pass runs as WebAssembly SIMD (../simd-kernels/kernels.c), four channels per instruction with
 * each channel's additions still in row order; the JavaScript loop is its fallback. Any other reduction (inner axes,
 * every axis, other dtypes) goes to the backend's own kernel.
 * @param original the backend's own Sum
 */
export function sumLeadingAxesKernel(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: "Sum",
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as Required<Record<"x", TensorInfo>>;
      const { axis, keepDims } = args.attrs as unknown as SumAttrs;
      const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const k = axes.length;
      const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
      if (!leading || x.dtype !== "float32") return original(args);
      const outer = util.sizeFromShape(x.shape.slice(0, k));
      const inner = util.sizeFromShape(x.shape.slice(k));
      const wasm = args.backend as BackendWasm;
      const out = wasm.makeOutput(keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k), "float32");
      const simd = simdKernels(wasm);
      if (simd) {
        simd.sumLeading(x, out, outer, inner);
        return out;
      }
      // Views are taken after the allocation above: growing the heap detaches earlier views.
      const src = wasm.typedArrayFromHeap(x) as Float32Array;
      const dst = wasm.typedArrayFromHeap(out) as Float32Array;
      // Summed in place in the output; a Float32Array rounds every partial sum to float32, as the backend's kernel does.
      dst.set(src.subarray(0, inner));
      for (let i = 1, base = inner; i < outer; i++, base += inner) {
        for (let j = 0; j < inner; j++) dst[j]! += src[base + j]!;
      }
      return out;
    },
  };
}
