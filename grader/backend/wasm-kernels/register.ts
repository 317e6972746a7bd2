import { getKernel, registerKernel } from "@tensorflow/tfjs";
import { conv2dBackpropFilterKernel } from "./conv2d-backprop-filter";
import { depthwiseBackpropFilterKernel } from "./depthwise-backprop-filter";
import { depthwiseBackpropInputKernel } from "./depthwise-backprop-input";

/**
 * Registers the project's training kernels on a backend that lacks them (the WebAssembly backend has no
 * Conv2DBackpropFilter and no depthwise backprop kernels). Idempotent; kernels the backend already has are left alone,
 * so a faster native implementation always wins.
 * @returns the names of the kernels this call registered
 */
export function registerTrainingKernels(backendName = "wasm"): string[] {
  const registered: string[] = [];
  for (const config of [
    conv2dBackpropFilterKernel(backendName),
    depthwiseBackpropFilterKernel(backendName),
    depthwiseBackpropInputKernel(backendName),
  ]) {
    if (!getKernel(config.kernelName, backendName)) {
      registerKernel(config);
      registered.push(config.kernelName);
    }
  }
  return registered;
}
