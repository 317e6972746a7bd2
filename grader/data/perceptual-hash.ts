import type { ImageDataset } from "./image-dataset";

const N = 32;
const K = 8;
/** cos((2x+1)uπ / 2N) for the K lowest frequencies u of the DCT-II. */
const COS = Float64Array.from({ length: K * N }, (_, i) => Math.cos(((2 * (i % N) + 1) * Math.floor(i / N) * Math.PI) / (2 * N)));

/** An image as N×N grey values (mean of channels, nearest sample), whatever its size. */
function greyGrid(img: Uint8Array, h: number, w: number, c: number, out: Float64Array): void {
  for (let y = 0; y < N; y++) {
    const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / N));
    for (let x = 0; x < N; x++) {
      const sx = Math.min(w - 1, Math.floor(((x + 0.5) * w) / N));
      let g = 0;
      for (let k = 0; k < c; k++) g += img[(sy * w + sx) * c + k]!;
      out[y * N + x] = g / c;
    }
  }
}

/**
 * Perceptual hashes (pHash) of a dataset's images: the image as 32×32 grey, its 8×8 lowest DCT frequencies, and one
 * bit per frequency saying whether it is above their median (the constant term left out). Resizing, re-encoding and
 * brightness changes move a few bits; different photos differ in about half of the 64.
 * @returns two uint32 words per image
 */
export function perceptualHashes(ds: ImageDataset): Uint32Array {
  const [h, w, c] = ds.shape;
  const px = h * w * c;
  const out = new Uint32Array(ds.count * 2);
  const grid = new Float64Array(N * N);
  const rows = new Float64Array(N * K);
  const coeffs = new Float64Array(K * K);
  for (let i = 0; i < ds.count; i++) {
    greyGrid(ds.images.subarray(i * px, (i + 1) * px), h, w, c, grid);
    // Separable DCT, computing only the K lowest frequencies in each direction.
    for (let y = 0; y < N; y++) {
      for (let u = 0; u < K; u++) {
        let s = 0;
        for (let x = 0; x < N; x++) s += grid[y * N + x]! * COS[u * N + x]!;
        rows[y * K + u] = s;
      }
    }
    for (let v = 0; v < K; v++) {
      for (let u = 0; u < K; u++) {
        let s = 0;
        for (let y = 0; y < N; y++) s += rows[y * K + u]! * COS[v * N + y]!;
        coeffs[v * K + u] = s;
      }
    }
    const median = [...coeffs.subarray(1)].sort((a, b) => a - b)[31]!;
    let hi = 0;
    let lo = 0;
    for (let b = 1; b < K * K; b++) {
      if (coeffs[b]! > median) {
        if (b < 32) hi |= 1 << b;
        else lo |= 1 << (b - 32);
      }
    }
    out[i * 2] = hi >>> 0;
    out[i * 2 + 1] = lo >>> 0;
  }
  return out;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Bits in which images `i` and `j` of `hashes` differ (0–64). */
export function hashDistance(hashes: Uint32Array, i: number, j: number): number {
  return popcount((hashes[i * 2]! ^ hashes[j * 2]!) >>> 0) + popcount((hashes[i * 2 + 1]! ^ hashes[j * 2 + 1]!) >>> 0);
}
