import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from "@tensorflow/tfjs";
import { addBiasKernel } from "./add-bias";
import { batchMatMulKernel } from "./batch-mat-mul";
import { conv2dBackpropFilterKernel } from "./conv2d-backprop-filter";
import { conv2dBackpropInputKernel } from "./conv2d-backprop-input";
import { identityKernel } from "./identity";
import { maxPoolGradKernel } from "./max-pool-grad";
import { RELU_GRAD_KERNEL, registerReluGradient, reluGradKernel } from "./relu-grad";
import { sumLeadingAxesKernel } from "./sum-leading-axes";

/** Configs this module registered, so a second call neither re-wraps nor replaces them. */
const ours = new WeakSet<KernelConfig>();

/** The training kernels this module replaces on the WebAssembly backend, in the order they are registered. */
export const FAST_KERNEL_NAMES = ["Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPoolGrad", "BatchMatMul", "Sum", "Identity", "Add", RELU_GRAD_KERNEL] as const;

/**
 * Replaces the WebAssembly backend's slow training kernels with faster formulations: both convolution gradients as
 * XNNPACK convolutions, a single-pass `MaxPoolGrad`, transposed matrix products routed to XNNPACK, and bias gradients
 * (`Sum` over leading axes) without the backend's transpose, and an `Identity` that shares its input's buffer instead of
 * copying it; a bias Add and the ReLU gradient as single SIMD passes. Unlike the
 * gap-filling kernels of `wasm-kernels/`, these override kernels the backend already has, so they are registered
 * even when a kernel of that name exists. The replaced kernel's `setupFunc` is kept on the new config: the engine
 * runs setup functions on every `setBackend`, and `BatchMatMul` still calls the backend's own kernel.
 * Idempotent; call before or after the backend initialises.
 * @returns the names of the kernels this call replaced or added
 * @see docs/architecture.md, "Real parts, and their embedded defaults"
 */
export function registerFastKernels(backendName = "wasm"): string[] {
  const registered: string[] = [];
  for (const name of FAST_KERNEL_NAMES) {
    const existing = getKernel(name, backendName);
    if (existing && ours.has(existing)) continue;
    let config: KernelConfig;
    switch (name) {
      case "BatchMatMul":
        // Without the backend's own product there is nothing to route to XNNPACK.
        if (!existing) continue;
        config = batchMatMulKernel(backendName, existing.kernelFunc);
        break;
      case "Sum":
        if (!existing) continue;
        config = sumLeadingAxesKernel(backendName, existing.kernelFunc);
        break;
      case "Add":
        if (!existing) continue;
        config = addBiasKernel(backendName, existing.kernelFunc);
        break;
      case RELU_GRAD_KERNEL:
        config = reluGradKernel(backendName);
        registerReluGradient();
        break;
      case "Identity":
        if (!existing) continue;
        config = identityKernel(backendName, existing.kernelFunc);
        break;
      case "Conv2DBackpropInput":
        config = conv2dBackpropInputKernel(backendName);
        break;
      case "Conv2DBackpropFilter":
        config = conv2dBackpropFilterKernel(backendName);
        break;
      case "MaxPoolGrad":
        config = maxPoolGradKernel(backendName);
        break;
    }
    if (existing) {
      config = { ...config, setupFunc: existing.setupFunc, disposeFunc: existing.disposeFunc };
      unregisterKernel(name, backendName);
    }
    registerKernel(config);
    ours.add(getKernel(name, backendName));
    registered.push(name);
  }
  return registered;
}
