import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from "@tensorflow/tfjs";

/**
 * Runs other kernels of the same backend from inside a kernel, and frees every intermediate result when done.
 * Kernels receive and return TensorInfo (not Tensor), so intermediate data must be released by hand; going through
 * the kernel registry keeps these gradients expressed purely in kernels the backend already has.
 */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  constructor(private readonly backend: KernelBackend, private readonly backendName: string) {}

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
