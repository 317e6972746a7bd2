import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels } from "../simd-kernels/simd-kernels";

/**
 * `Add` of a bias vector along the last axis — a convolution's or dense layer's bias in training, where TF.js does
 * not fuse it — as one SIMD pass (../simd-kernels/kernels.c). The backend's broadcasting Add took 4 ms for the lesson
 * CNN's first layer ([64, 30, 30, 32] + [32]). The same single addition per value, so the result is bitwise the same.
 * Every other Add goes to the backend's own kernel.
 * @param original the backend's own Add
 */
export function addBiasKernel(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: "Add",
    backendName,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as Required<Record<"a" | "b", TensorInfo>>;
      const c = a.shape.at(-1) ?? 0;
      const isBias = a.dtype === "float32" && b.dtype === "float32" && a.shape.length >= 2 && c > 0 &&
        util.sizeFromShape(b.shape) === c && b.shape.at(-1) === c && b.shape.length <= a.shape.length;
      const simd = isBias ? simdKernels(args.backend as BackendWasm) : null;
      if (!simd) return original(args);
      const wasm = args.backend as BackendWasm;
      const out = wasm.makeOutput(a.shape, "float32");
      simd.addBias(a, b, out, util.sizeFromShape(a.shape) / c, c);
      return out;
    },
  };
}
