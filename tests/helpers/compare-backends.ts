import type { Tensor } from "@tensorflow/tfjs";
import type { Tf } from "@/grader/backend/load-tf";

/** Deterministic pseudo-random values in [-0.5, 0.5), identical on every backend and every run. */
export function seededValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** Max-norm relative error: the largest absolute difference over the largest reference magnitude. */
export function maxRelError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Runs `fn` with `backend` active and returns its tensors' values (the tensors are disposed). */
export async function valuesOn(tf: Tf, backend: "cpu" | "wasm", fn: () => Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const tensors = fn();
  const values = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(tensors);
  return values;
}

/**
 * The worst max-norm relative error of the wasm results of `fn` against the CPU backend's, which is the pure-JS
 * reference implementation. Throws if the two return different numbers or sizes of tensors.
 */
export async function worstErrorAgainstCpu(tf: Tf, fn: () => Tensor[]): Promise<number> {
  const reference = await valuesOn(tf, "cpu", fn);
  const actual = await valuesOn(tf, "wasm", fn);
  if (actual.length !== reference.length) throw new Error(`wasm returned ${actual.length} tensors, cpu ${reference.length}`);
  let worst = 0;
  actual.forEach((a, i) => {
    if (a.length !== reference[i]!.length) throw new Error(`tensor ${i}: wasm has ${a.length} values, cpu ${reference[i]!.length}`);
    worst = Math.max(worst, maxRelError(a, reference[i]!));
  });
  return worst;
}
