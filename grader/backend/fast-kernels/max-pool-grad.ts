import { backend_util, type KernelConfig, type MaxPoolGradAttrs, type TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels } from "../simd-kernels/simd-kernels";

type PoolInfo = ReturnType<typeof backend_util.computePool2DInfo>;

/**
 * `MaxPoolGrad` for the WebAssembly backend, as one pass over the pooling windows reading and writing the module's
 * heap directly: for each output cell, find the first maximum of its window (row-major, strictly greater wins — the
 * CPU backend's and TensorFlow's rule) and add the cell's gradient there. The backend's own kernel recomputes every
 * window per input pixel and breaks ties towards the last maximum (and towards index 0 when a window is all zeros or
 * negative), which both costs more and disagrees with the other backends after a ReLU, where ties are common.
 * Keras' default 2x2/2 pooling runs as WebAssembly SIMD (../simd-kernels/kernels.c), four channels at a time; the
 * JavaScript loops below are its fallback and compute the same float32 values.
 */
export function maxPoolGradKernel(backendName: string): KernelConfig {
  return {
    kernelName: "MaxPoolGrad",
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, input } = inputs as Required<Record<"dy" | "input", TensorInfo>>;
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
      if (input.dtype !== "float32" || dy.dtype !== "float32") throw new Error("MaxPoolGrad supports float32 only");
      const info = backend_util.computePool2DInfo(
        input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
      );
      const wasm = backend as BackendWasm;
      const out = wasm.makeOutput(input.shape, "float32");
      const simd = isPlain2x2(info) ? simdKernels(wasm) : null;
      if (simd) {
        const { batchSize: batch, inHeight: inH, inWidth: inW, inChannels: c, outHeight: outH, outWidth: outW } = info;
        simd.maxPoolGrad2x2(input, dy, out, { batch, inH, inW, c, outH, outW });
        return out;
      }
      // Views are taken after the allocation above: growing the heap detaches earlier views.
      const x = wasm.typedArrayFromHeap(input) as Float32Array;
      const g = wasm.typedArrayFromHeap(dy) as Float32Array;
      const dx = wasm.typedArrayFromHeap(out) as Float32Array;
      dx.fill(0);
      if (isPlain2x2(info)) scatter2x2(x, g, dx, info);
      else scatterWindows(x, g, dx, info);
      return out;
    },
  };
}

/** Keras' default MaxPooling2D: 2x2 windows, stride 2, every window inside the input. */
function isPlain2x2(info: PoolInfo): boolean {
  return info.effectiveFilterHeight === 2 && info.effectiveFilterWidth === 2 && info.strideHeight === 2 &&
    info.strideWidth === 2 && info.padInfo.top === 0 && info.padInfo.left === 0 &&
    2 * info.outHeight <= info.inHeight && 2 * info.outWidth <= info.inWidth;
}

/** The 2x2/2 case with the four taps unrolled: no bounds and no scratch arrays (about a third faster). */
function scatter2x2(x: Float32Array, g: Float32Array, dx: Float32Array, info: PoolInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const rowStride = inWidth * c;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const t0 = (b * inHeight + 2 * i) * rowStride + 2 * j * c;
        const t1 = t0 + c;
        const t2 = t0 + rowStride;
        const t3 = t2 + c;
        for (let ch = 0; ch < c; ch++, o++) {
          // The same rule as the general loop: start below every value, strictly greater wins, taps in row order.
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          const v0 = x[t0 + ch]!;
          if (v0 > best) [best, at] = [v0, t0 + ch];
          const v1 = x[t1 + ch]!;
          if (v1 > best) [best, at] = [v1, t1 + ch];
          const v2 = x[t2 + ch]!;
          if (v2 > best) [best, at] = [v2, t2 + ch];
          const v3 = x[t3 + ch]!;
          if (v3 > best) at = t3 + ch;
          if (at >= 0) dx[at]! += g[o]!;
        }
      }
    }
  }
}

/** Any window size, stride and padding. */
function scatterWindows(x: Float32Array, g: Float32Array, dx: Float32Array, info: PoolInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const rowStride = inWidth * c;
  const imageStride = inHeight * rowStride;
  // Per window, the taps are visited in row-major order and each tap compares a contiguous run of channels, so
  // memory is read in streams; the running maximum and its position are kept per channel.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const base = b * imageStride;
    for (let i = 0; i < outHeight; i++) {
      const r0 = i * strideHeight - top;
      const rFrom = r0 < 0 ? r0 + Math.ceil(-r0 / dh) * dh : r0;
      const rTo = Math.min(inHeight, r0 + fh);
      for (let j = 0; j < outWidth; j++, o += c) {
        const q0 = j * strideWidth - left;
        const qFrom = q0 < 0 ? q0 + Math.ceil(-q0 / dw) * dw : q0;
        const qTo = Math.min(inWidth, q0 + fw);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let r = rFrom; r < rTo; r += dh) {
          for (let q = qFrom; q < qTo; q += dw) {
            const tap = base + r * rowStride + q * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[tap + ch]!;
              if (v > best[ch]!) {
                best[ch] = v;
                at[ch] = tap + ch;
              }
            }
          }
        }
        // A window of only NaN/-Infinity (or only padding) has no maximum and passes no gradient, as on CPU.
        for (let ch = 0; ch < c; ch++) {
          const k = at[ch]!;
          if (k >= 0) dx[k]! += g[o + ch]!;
        }
      }
    }
  }
}
