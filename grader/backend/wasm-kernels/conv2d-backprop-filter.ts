import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import { nhwcConv2DInfo, padSpatial, scopedKernel, tapSlice } from "./kernel-scope";

/**
 * `Conv2DBackpropFilter` for a backend that lacks it (the WebAssembly backend). The filter gradient is a correlation
 * of the input with the output gradient: for each filter tap (kh, kw), dW[kh, kw] = X_tapᵀ · dY, where X_tap is the
 * strided window of the padded input seen by that tap, flattened to [N, inChannels], and dY is [N, outChannels]
 * (N = batch · outH · outW). Built from PadV2, StridedSlice, Reshape, Transpose, BatchMatMul and Concat.
 */
export function conv2dBackpropFilterKernel(backendName: string): KernelConfig {
  return scopedKernel<"x" | "dy", Conv2DBackpropFilterAttrs>("Conv2DBackpropFilter", backendName, ({ x, dy }, attrs, scope) => {
    const info = nhwcConv2DInfo("Conv2DBackpropFilter", backendName, attrs, x.shape as [number, number, number, number], attrs.filterShape);
    const n = info.batchSize * info.outHeight * info.outWidth;
    const { top, bottom, left, right } = info.padInfo;
    // Rows/cols past what any tap reads are cut by StridedSlice; bottom/right pads only need to reach them.
    const xPad = padSpatial(scope, x, top, Math.max(0, bottom), left, Math.max(0, right));
    const dy2 = scope.reshape(dy, [1, n, info.outChannels]);
    const taps: TensorInfo[] = [];
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const win = tapSlice(scope, xPad, kh, kw, info);
        const win2 = scope.reshape(win, [n, info.inChannels]);
        // An explicit Transpose + plain matmul is ~20x faster on wasm than BatchMatMul with transposeA.
        const winT = scope.run("Transpose", { x: win2 }, { perm: [1, 0] });
        const winT3 = scope.reshape(winT, [1, info.inChannels, n]);
        taps.push(scope.run("BatchMatMul", { a: winT3, b: dy2 }, { transposeA: false, transposeB: false }));
        scope.free(winT3);
        scope.free(winT);
        scope.free(win2);
        scope.free(win);
      }
    }
    const stacked = taps.length === 1 ? taps[0]! : scope.concat(taps, 0);
    return scope.reshape(stacked, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels]);
  });
}
