import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/**
 * `Identity` (what `clone`, `tf.keep` and several gradients call) without a copy: the output shares the input's heap
 * buffer and the backend counts one more reference to it, as the CPU backend's Identity and every backend's Reshape
 * do. Tensors are immutable — every kernel writes a fresh output, and assigning a variable points it at another
 * buffer — so sharing is safe. The WebAssembly backend's own Identity copies the whole tensor, which in a training
 * step of the lesson's CNN came to three copies of the first layer's 1.8 million activations and about 5 ms.
 * Strings go to the backend's own kernel.
 * @param original the backend's own Identity
 */
export function identityKernel(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: "Identity",
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as Required<Record<"x", TensorInfo>>;
      if (x.dtype === "string") return original(args);
      (args.backend as BackendWasm).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
