import type { Conv2DBackpropInputAttrs, KernelConfig } from "@tensorflow/tfjs";
import { dilateSpatial, nhwcConv2DInfo, scopedKernel } from "../wasm-kernels/kernel-scope";

/**
 * `Conv2DBackpropInput` (the input gradient of a convolution) as a forward convolution, so it runs through the
 * backend's XNNPACK `Conv2D` instead of the WebAssembly backend's scalar loop. The transpose of a convolution with
 * filter W [kh, kw, in, out] and stride s is a stride-1 convolution of the output gradient — dilated by s (s-1 zeros
 * between neighbours) and padded by kh-1-padTop rows on top (the padding of the full correlation) — with W rotated by
 * 180° and its channel axes swapped: W'[a, b, o, i] = W[kh-1-a, kw-1-b, i, o].
 *
 * Padding is handed to XNNPACK as explicit padding, so the padded gradient is never materialised; only a stride > 1
 * pays for one dilation pass (PadV2 on a 6-D view). Pads that would be negative (explicit forward pads larger than the
 * filter) become a crop.
 */
export function conv2dBackpropInputKernel(backendName: string): KernelConfig {
  return scopedKernel<"dy" | "filter", Conv2DBackpropInputAttrs>("Conv2DBackpropInput", backendName, ({ dy, filter }, attrs, scope) => {
    const info = nhwcConv2DInfo("Conv2DBackpropInput", backendName, attrs, attrs.inputShape, filter.shape as [number, number, number, number]);
    const { batchSize: b, outHeight: oh, outWidth: ow, inHeight: h, inWidth: w, outChannels: co } = info;
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    // The dilated gradient: oh*sh rows (the last sh-1 are zeros, which count as bottom padding below).
    let grad = dilateSpatial(scope, dy, sh, sw);
    // Rows of the padded gradient the stride-1 convolution must see: H + kh - 1, starting kh-1-top before row 0.
    const axis = (extent: number, k: number, before: number, size: number) => {
      const padBefore = k - 1 - before;
      const padAfter = extent + k - 1 - padBefore - size;
      return { padBefore, padAfter };
    };
    const rows = axis(h, kh, info.padInfo.top, oh * sh);
    const cols = axis(w, kw, info.padInfo.left, ow * sw);
    if (rows.padBefore < 0 || rows.padAfter < 0 || cols.padBefore < 0 || cols.padAfter < 0) {
      const top = Math.max(0, -rows.padBefore);
      const left = Math.max(0, -cols.padBefore);
      const bottom = Math.max(0, -rows.padAfter);
      const right = Math.max(0, -cols.padAfter);
      const [, gh, gw] = grad.shape as [number, number, number, number];
      grad = scope.run("Slice", { x: grad }, { begin: [0, top, left, 0], size: [b, gh - top - bottom, gw - left - right, co] });
      rows.padBefore += top;
      rows.padAfter += bottom;
      cols.padBefore += left;
      cols.padAfter += right;
    }
    const flipped = scope.run("Reverse", { x: filter }, { dims: [0, 1] });
    const rotated = scope.run("Transpose", { x: flipped }, { perm: [0, 1, 3, 2] });
    scope.free(flipped);
    return scope.run("Conv2D", { x: grad, filter: rotated }, {
      strides: [1, 1], dilations: [1, 1], dataFormat: "NHWC",
      pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
    });
  });
}
