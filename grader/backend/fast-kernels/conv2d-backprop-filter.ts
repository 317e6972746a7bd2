import type { Conv2DBackpropFilterAttrs, KernelConfig } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdKernels } from "../simd-kernels/simd-kernels";
import { nhwcConv2DInfo, scopedKernel } from "../wasm-kernels/kernel-scope";

/**
 * `Conv2DBackpropFilter` (the filter gradient of a convolution) as ONE forward convolution through the backend's
 * XNNPACK `Conv2D`, with the batch playing the role of the channels:
 *
 *   dW[a, b, i, o] = Σ_{n,p,q} Xpad[n, a + p·sh, b + q·sw, i] · dY[n, p, q, o]
 *
 * is a convolution of the input seen as [in, H, W, batch] (in-channels as the batch, the batch as channels) with the
 * output gradient seen as a filter [outH, outW, batch, out], dilated by the forward stride. Its output [in, kh, kw,
 * out] is transposed to the filter layout [kh, kw, in, out]. Three transposes and one GEMM-shaped convolution replace
 * a per-tap loop of strided slices and un-vectorised transposed matmuls.
 *
 * Where the output channels are a multiple of 4 (every layer of the lesson's networks), the gradient is instead one
 * call of the SIMD kernel in ../simd-kernels/kernels.c: per filter tap, a register-blocked product of the shifted
 * input with dy read straight from the heap, with no transposes and no padded copy. The first form stays for the
 * rest and for runtimes without WebAssembly SIMD.
 */
export function conv2dBackpropFilterKernel(backendName: string): KernelConfig {
  return scopedKernel<"x" | "dy", Conv2DBackpropFilterAttrs>("Conv2DBackpropFilter", backendName, ({ x, dy }, attrs, scope) => {
    const info = nhwcConv2DInfo("Conv2DBackpropFilter", backendName, attrs, x.shape as [number, number, number, number], attrs.filterShape);
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci } = info;
    const { outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const simd = info.outChannels % 4 === 0 ? simdKernels(scope.backend as BackendWasm) : null;
    if (simd) {
      const out = (scope.backend as BackendWasm).makeOutput([kh, kw, ci, info.outChannels], "float32");
      simd.conv2dBackpropFilter(x, dy, out, { ...info, top: info.padInfo.top, left: info.padInfo.left });
      return out;
    }
    // The padded input must span exactly (oh-1)·s + k rows so the "convolution" yields k output rows.
    const { top, left } = info.padInfo;
    let bottom = (oh - 1) * sh + kh - top - h;
    let right = (ow - 1) * sw + kw - left - w;
    let input = x;
    if (bottom < 0 || right < 0) {
      // Rows/cols past the last window are never read by the forward pass: cut them.
      input = scope.run("Slice", { x }, { begin: [0, 0, 0, 0], size: [n, h + Math.min(0, bottom), w + Math.min(0, right), ci] });
      bottom = Math.max(0, bottom);
      right = Math.max(0, right);
    }
    const xT = scope.run("Transpose", { x: input }, { perm: [3, 1, 2, 0] });
    const dyT = scope.run("Transpose", { x: dy }, { perm: [1, 2, 0, 3] });
    const conv = scope.run("Conv2D", { x: xT, filter: dyT }, {
      strides: [1, 1], dilations: [sh, sw], dataFormat: "NHWC",
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    });
    scope.free(xT);
    scope.free(dyT);
    return scope.run("Transpose", { x: conv }, { perm: [1, 2, 0, 3] });
  });
}
