/**
 * mulberry32: a tiny 32-bit PRNG. Quality is ample for shuffling a quiz, and the same seed gives
 * the same sequence on every platform, which is what lets an attempt be re-drawn exactly.
 * @returns a function yielding floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle driven by `random`; returns a new array and leaves `items` untouched. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A fresh attempt seed: a random non-negative 31-bit integer (fits Postgres `integer`). */
export function newAttemptSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1;
}
