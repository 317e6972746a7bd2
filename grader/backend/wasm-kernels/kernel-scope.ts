import {
  backend_util, getKernel, type Conv2DBackpropFilterAttrs, type KernelBackend, type KernelConfig, type NamedAttrMap,
  type NamedTensorInfoMap, type TensorInfo,
} from "@tensorflow/tfjs";

/**
 * Runs other kernels of the same backend from inside a kernel, and frees every intermediate result when done.
 * Kernels receive and return TensorInfo (not Tensor), so intermediate data must be released by hand; going through
 * the kernel registry keeps these gradients expressed purely in kernels the backend already has.
 */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  constructor(readonly backend: KernelBackend, private readonly backendName: string) {}

  /** Runs `kernelName` on this backend; the result is freed by `dispose()` unless passed to `keep()`. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, this.backendName);
    if (!kernel) throw new Error(`Kernel ${kernelName} is not registered for backend ${this.backendName}`);
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`Kernel ${kernelName} returned several outputs; expected one`);
    this.temps.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  /** Concat takes its inputs as an array, not a named map. */
  concat(xs: TensorInfo[], axis: number): TensorInfo {
    return this.run("Concat", xs as unknown as NamedTensorInfoMap, { axis });
  }

  /** Frees an intermediate early (e.g. a running sum that has been replaced). */
  free(t: TensorInfo): void {
    const i = this.temps.indexOf(t);
    if (i >= 0) {
      this.temps.splice(i, 1);
      this.backend.disposeData(t.dataId);
    }
  }

  /** Marks a result as the kernel's output so `dispose()` leaves it alone. */
  keep(t: TensorInfo): TensorInfo {
    const i = this.temps.indexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    return t;
  }

  dispose(): void {
    for (const t of this.temps.splice(0)) this.backend.disposeData(t.dataId);
  }
}

/** Pads NHWC `x` spatially with zeros; returns x itself when there is nothing to pad. */
export function padSpatial(scope: KernelScope, x: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  return scope.run("PadV2", { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
}

/**
 * The [batch, outH, outW, channels] window of padded input `xPad` that filter tap (kh, kw) sees:
 * rows kh*dilH + i*strideH for i < outH, and the same for columns.
 */
export function tapSlice(
  scope: KernelScope, xPad: TensorInfo, kh: number, kw: number,
  info: { outHeight: number; outWidth: number; strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number },
): TensorInfo {
  const [b, , , c] = xPad.shape as [number, number, number, number];
  const top = kh * info.dilationHeight;
  const left = kw * info.dilationWidth;
  return scope.run("StridedSlice", { x: xPad }, {
    begin: [0, top, left, 0],
    end: [b, top + (info.outHeight - 1) * info.strideHeight + 1, left + (info.outWidth - 1) * info.strideWidth + 1, c],
    strides: [1, info.strideHeight, info.strideWidth, 1],
    beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
  });
}

/**
 * A kernel made of other kernels of `backendName`: `body` gets the kernel's inputs and attributes and a KernelScope,
 * and returns the output; every other intermediate is freed when it returns or throws.
 */
export function scopedKernel<Inputs extends string, Attrs>(
  kernelName: string,
  backendName: string,
  body: (inputs: Record<Inputs, TensorInfo>, attrs: Attrs, scope: KernelScope) => TensorInfo,
): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const scope = new KernelScope(backend as KernelBackend, backendName);
      try {
        return scope.keep(body(inputs as Record<Inputs, TensorInfo>, attrs as unknown as Attrs, scope));
      } finally {
        scope.dispose();
      }
    },
  };
}

type Shape4 = [number, number, number, number];

/**
 * The geometry of a plain (not depthwise, undilated) convolution, for a gradient kernel that handles NHWC only.
 * @throws Error naming the kernel and backend for any other data format.
 */
export function nhwcConv2DInfo(
  kernelName: string,
  backendName: string,
  attrs: Pick<Conv2DBackpropFilterAttrs, "strides" | "pad" | "dataFormat" | "dimRoundingMode">,
  inShape: Shape4,
  filterShape: Shape4,
): backend_util.Conv2DInfo {
  if (attrs.dataFormat !== "NHWC") throw new Error(`${kernelName} on ${backendName} supports NHWC only (got ${attrs.dataFormat})`);
  return backend_util.computeConv2DInfo(inShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, "channelsLast");
}

/**
 * Spreads NHWC `x` [b, h, w, c] to [b, h·sh, w·sw, c] with sh-1 zero rows after each row and sw-1 zero columns after
 * each column (one PadV2 on a 6-D view): the gradient of a strided convolution seen at stride 1. Returns x itself
 * when both strides are 1.
 */
export function dilateSpatial(scope: KernelScope, x: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [b, h, w, c] = x.shape as Shape4;
  const six = scope.reshape(x, [b, h, 1, w, 1, c]);
  const spread = scope.run("PadV2", { x: six }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0,
  });
  scope.free(six);
  const flat = scope.reshape(spread, [b, h * sh, w * sw, c]);
  scope.free(spread);
  return flat;
}
