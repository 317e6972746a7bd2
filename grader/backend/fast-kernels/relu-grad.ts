import { cast, getKernel, mul, registerGradient, step, engine, getBackend, util, type GradConfig, type KernelConfig, type Tensor, type TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels } from "../simd-kernels/simd-kernels";

/** A kernel of our own, registered for the WebAssembly backend only. */
export const RELU_GRAD_KERNEL = "TensorgradeReluGrad";

/**
 * The ReLU gradient dy · step(x) as one SIMD pass (../simd-kernels/kernels.c). TF.js computes it as Step, then a Cast
 * of that float32 result to float32 (a copy), then Mul: three passes over the activations, 7 ms a step for the
 * lesson CNN. The same multiplication by the same 1, 0 or NaN, so the gradient is bitwise the same.
 */
export function reluGradKernel(backendName: string): KernelConfig {
  return {
    kernelName: RELU_GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x } = inputs as Required<Record<"dy" | "x", TensorInfo>>;
      const wasm = backend as BackendWasm;
      const simd = simdKernels(wasm);
      if (!simd) throw new Error(`${RELU_GRAD_KERNEL} needs WebAssembly SIMD`);
      const out = wasm.makeOutput(x.shape, "float32");
      simd.reluGrad(dy, x, out, util.sizeFromShape(x.shape));
      return out;
    },
  };
}

let registered = false;

/**
 * Replaces TF.js's ReLU gradient (the registry is global, not per backend) with one that uses RELU_GRAD_KERNEL when
 * the active backend has it and SIMD is available, and TF.js's own formula everywhere else.
 */
export function registerReluGradient(): void {
  if (registered) return;
  registered = true;
  const config: GradConfig = {
    kernelName: "Relu",
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved as [Tensor];
      const d = dy as Tensor;
      const fast = x.dtype === "float32" && d.dtype === "float32" && getKernel(RELU_GRAD_KERNEL, getBackend()) &&
        simdKernels(engine().backend as BackendWasm);
      return { x: () => (fast ? engine().runKernel(RELU_GRAD_KERNEL, { dy: d, x }, {}) as Tensor : mul(d, cast(step(x), "float32"))) };
    },
  };
  registerGradient(config);
}
