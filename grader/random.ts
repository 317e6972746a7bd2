/**
 * A small seeded PRNG (mulberry32), the project's only one. Everything random in grading — data generation, splits,
 * shuffling, augmentation, weight-initialiser seeds — draws from one of these, so one submission seed fixes the whole
 * job; a quiz attempt's draw (domain/quiz/draw-attempt.ts) uses one too, so the same seed gives the same layout on
 * every platform.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so nearby seeds (1, 2, 3...) give unrelated streams.
    this.state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ ((seed / 2 ** 32) | 0)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A 31-bit integer, e.g. to seed a TF.js initialiser. */
  seed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }

  /** Fisher–Yates shuffle in place; returns `xs`. */
  shuffle<A extends unknown[] | Int32Array | Uint32Array>(xs: A): A {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
    return xs;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }
}
