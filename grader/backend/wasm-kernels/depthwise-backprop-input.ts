import { backend_util, type DepthwiseConv2dNativeBackpropInputAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs";
import { dilateSpatial, scopedKernel } from "./kernel-scope";

/**
 * `DepthwiseConv2dNativeBackpropInput` for the WebAssembly backend: the transpose of the depthwise convolution.
 * Output position (i, j) read padded input (i·s + kh·d, j·s + kw·d) through tap (kh, kw), so each tap scatters
 * contrib[b, i, j, c] = Σ_m dY[b, i, j, c, m] · W[kh, kw, c, m] back to those positions. The scatter is done with
 * dense ops: interleave zeros for the stride (Reshape + PadV2), shift by the tap offset (PadV2), add up the taps, and
 * finally crop the padding away (Slice).
 */
export function depthwiseBackpropInputKernel(backendName: string): KernelConfig {
  const name = "DepthwiseConv2dNativeBackpropInput";
  return scopedKernel<"dy" | "filter", DepthwiseConv2dNativeBackpropInputAttrs>(name, backendName, ({ dy, filter }, attrs, scope) => {
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true,
    );
    const { batchSize: b, outHeight: oh, outWidth: ow, inHeight: h, inWidth: w, inChannels: c } = info;
    const m = info.outChannels / c;
    const sh = info.strideHeight;
    const sw = info.strideWidth;
    const { top, left } = info.padInfo;
    // Padded extent large enough for every tap's reach and for the original input.
    const reachH = (oh - 1) * sh + (info.filterHeight - 1) * info.dilationHeight + 1;
    const reachW = (ow - 1) * sw + (info.filterWidth - 1) * info.dilationWidth + 1;
    const hp = Math.max(top + h, reachH);
    const wp = Math.max(left + w, reachW);
    const dy5 = scope.reshape(dy, [b, oh, ow, c, m]);
    const spanH = (oh - 1) * sh + 1;
    const spanW = (ow - 1) * sw + 1;
    let acc: TensorInfo | undefined;
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const wTap = scope.run("Slice", { x: filter }, { begin: [kh, kw, 0, 0], size: [1, 1, c, m] });
        const w5 = scope.reshape(wTap, [1, 1, 1, c, m]);
        const prod = scope.run("Multiply", { a: dy5, b: w5 });
        let contrib = scope.run("Sum", { x: prod }, { axis: [4], keepDims: false });
        scope.free(prod);
        scope.free(w5);
        scope.free(wTap);
        if (sh > 1 || sw > 1) {
          const flat = dilateSpatial(scope, contrib, sh, sw);
          const cropped = scope.run("Slice", { x: flat }, { begin: [0, 0, 0, 0], size: [b, spanH, spanW, c] });
          for (const t of [flat, contrib]) scope.free(t);
          contrib = cropped;
        }
        const offH = kh * info.dilationHeight;
        const offW = kw * info.dilationWidth;
        const placed = scope.run("PadV2", { x: contrib }, {
          paddings: [[0, 0], [offH, hp - offH - spanH], [offW, wp - offW - spanW], [0, 0]], constantValue: 0,
        });
        scope.free(contrib);
        if (acc === undefined) {
          acc = placed;
        } else {
          const next = scope.run("Add", { a: acc, b: placed });
          scope.free(acc);
          scope.free(placed);
          acc = next;
        }
      }
    }
    if (acc === undefined) throw new Error("empty filter");
    return scope.run("Slice", { x: acc }, { begin: [0, top, left, 0], size: [b, h, w, c] });
  });
}
