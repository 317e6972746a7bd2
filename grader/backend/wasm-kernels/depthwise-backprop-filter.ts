import { backend_util, type DepthwiseConv2dNativeBackpropFilterAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs";
import { padSpatial, scopedKernel, tapSlice } from "./kernel-scope";

/**
 * `DepthwiseConv2dNativeBackpropFilter` for the WebAssembly backend. Each input channel c has its own M filters, so
 * for each tap (kh, kw): dW[kh, kw, c, m] = Σ_n X_tap[n, c] · dY[n, c, m] — an elementwise product broadcast over m,
 * summed over n = (batch, outH, outW). Built from PadV2, StridedSlice, Reshape, Multiply, Sum and Concat.
 */
export function depthwiseBackpropFilterKernel(backendName: string): KernelConfig {
  const name = "DepthwiseConv2dNativeBackpropFilter";
  return scopedKernel<"x" | "dy", DepthwiseConv2dNativeBackpropFilterAttrs>(name, backendName, ({ x, dy }, attrs, scope) => {
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true,
    );
    const n = info.batchSize * info.outHeight * info.outWidth;
    const c = info.inChannels;
    const m = info.outChannels / c;
    const { top, bottom, left, right } = info.padInfo;
    const xPad = padSpatial(scope, x, top, Math.max(0, bottom), left, Math.max(0, right));
    const dy3 = scope.reshape(dy, [n, c, m]);
    const taps: TensorInfo[] = [];
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const win = tapSlice(scope, xPad, kh, kw, info);
        const win3 = scope.reshape(win, [n, c, 1]);
        const prod = scope.run("Multiply", { a: win3, b: dy3 });
        const summed = scope.run("Sum", { x: prod }, { axis: [0], keepDims: true });
        scope.free(prod);
        scope.free(win3);
        scope.free(win);
        taps.push(summed);
      }
    }
    const stacked = taps.length === 1 ? taps[0]! : scope.concat(taps, 0);
    return scope.reshape(stacked, [info.filterHeight, info.filterWidth, c, m]);
  });
}
