import {
  type BatchMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo,
} from "@tensorflow/tfjs";
import { KernelScope } from "../wasm-kernels/kernel-scope";

/**
 * `BatchMatMul` that keeps single matrix products on XNNPACK. The WebAssembly backend only calls XNNPACK's fully
 * connected operator for an untransposed product without batch; with `transposeA` or `transposeB` — which every
 * Dense layer's backward pass uses (dX = dY·Wᵀ, dW = Xᵀ·dY) — it falls back to a scalar triple loop. Transposing the
 * operand first is one memory pass and turns the product back into the XNNPACK case. Batched products are left to the
 * backend's kernel unchanged.
 * @param original the backend's own BatchMatMul, which does the arithmetic
 */
export function batchMatMulKernel(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: "BatchMatMul",
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { a, b } = inputs as Required<Record<"a" | "b", TensorInfo>>;
      const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
      const batch = (t: TensorInfo) => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
      if ((!transposeA && !transposeB) || batch(a) !== 1 || batch(b) !== 1 || a.dtype !== "float32" || b.dtype !== "float32") {
        return original(args);
      }
      const scope = new KernelScope(backend as KernelBackend, backendName);
      try {
        const matrix = (t: TensorInfo, transpose: boolean): TensorInfo => {
          const [r, c] = t.shape.slice(-2) as [number, number];
          const m = t.shape.length === 2 ? t : scope.reshape(t, [r, c]);
          return transpose ? scope.run("Transpose", { x: m }, { perm: [1, 0] }) : m;
        };
        const a2 = matrix(a, transposeA);
        const b2 = matrix(b, transposeB);
        const plain: NamedAttrMap = { transposeA: false, transposeB: false };
        const out = original({ inputs: { a: a2, b: b2 }, backend, attrs: plain }) as TensorInfo;
        // Keep the rank the caller asked for: [..., 1, m, n] in, [..., 1, m, n] out.
        const rank = Math.max(a.shape.length, b.shape.length);
        if (out.shape.length === rank) return out;
        const shaped = scope.reshape(out, [...Array<number>(rank - 2).fill(1), ...out.shape.slice(-2)]);
        (backend as KernelBackend).disposeData(out.dataId);
        return scope.keep(shaped);
      } finally {
        scope.dispose();
      }
    },
  };
}
