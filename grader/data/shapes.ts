import { SeededRandom } from "../random";
import type { ImageDataset } from "./image-dataset";

/**
 * The built-in `shapes` dataset: small colour images of drawn shapes, generated from a seed (no network, no files).
 * Each image has a random background colour with a soft gradient, one shape of a random contrasting colour, position,
 * scale and rotation, and pixel noise. Two disjoint groups of shapes exist so the project can pretrain a base on one
 * task (`SOURCE_SHAPES`) and transfer to another (the assignment's classes).
 */

type Inside = (u: number, v: number) => boolean;

function polygon(points: [number, number][]): Inside {
  return (u, v) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

function regular(n: number, r: number, phase = -Math.PI / 2): [number, number][] {
  return Array.from({ length: n }, (_, i) => {
    const a = phase + (2 * Math.PI * i) / n;
    return [r * Math.cos(a), r * Math.sin(a)] as [number, number];
  });
}

function star(points: number, outer: number, inner: number): [number, number][] {
  return Array.from({ length: 2 * points }, (_, i) => {
    const a = -Math.PI / 2 + (Math.PI * i) / points;
    const r = i % 2 === 0 ? outer : inner;
    return [r * Math.cos(a), r * Math.sin(a)] as [number, number];
  });
}

/** Every drawable shape, in unit coordinates (the shape fits in [-1, 1]²). */
export const SHAPE_CATALOGUE: Record<string, Inside> = {
  circle: (u, v) => u * u + v * v <= 0.8 * 0.8,
  square: (u, v) => Math.abs(u) <= 0.68 && Math.abs(v) <= 0.68,
  triangle: polygon(regular(3, 0.9)),
  cross: (u, v) => (Math.abs(u) <= 0.24 && Math.abs(v) <= 0.85) || (Math.abs(v) <= 0.24 && Math.abs(u) <= 0.85),
  star: polygon(star(5, 0.95, 0.4)),
  ring: (u, v) => {
    const r2 = u * u + v * v;
    return r2 <= 0.85 * 0.85 && r2 >= 0.5 * 0.5;
  },
  hexagon: polygon(regular(6, 0.85)),
  crescent: (u, v) => u * u + v * v <= 0.8 * 0.8 && (u - 0.38) ** 2 + v * v > 0.62 * 0.62,
  bar: (u, v) => Math.abs(u) <= 0.9 && Math.abs(v) <= 0.2,
  semicircle: (u, v) => u * u + v * v <= 0.85 * 0.85 && v >= -0.1,
};

/** The assignment's default classes. */
export const TARGET_SHAPES = ["circle", "square", "triangle", "cross", "star"] as const;
/** A disjoint task for pretraining the course's base model. */
export const SOURCE_SHAPES = ["ring", "hexagon", "crescent", "bar", "semicircle"] as const;

export interface ShapesOptions {
  count: number;
  seed: number;
  classes?: readonly string[];
  /** Most frequent / least frequent class ratio; counts fall geometrically across classes. 1 = balanced. */
  imbalance?: number;
  shape: [number, number, number];
}

/** How many examples each class gets for a given imbalance ratio (sums to `count`; the remainder goes to the first classes). */
export function classSizes(count: number, k: number, imbalance: number): number[] {
  const weights = Array.from({ length: k }, (_, i) => imbalance ** (-i / Math.max(1, k - 1)));
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((count * w) / total));
  let rest = count - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % k, rest--) sizes[i]!++;
  return sizes;
}

/** Bump when the drawing changes, so cached copies of generated sets are rebuilt. */
export const SHAPES_GENERATOR_VERSION = 2;

const SUPERSAMPLE = 3;
const NOISE = 0.05;
const MIN_CONTRAST = 0.3;

function luminance(c: number[]): number {
  return 0.299 * c[0]! + 0.587 * c[1]! + 0.114 * c[2]!;
}

function drawOne(rng: SeededRandom, inside: Inside, h: number, w: number, out: Float32Array): void {
  const bg = [rng.next(), rng.next(), rng.next()];
  let fg = [rng.next(), rng.next(), rng.next()];
  // Keep the shape visible: redraw the colour until it differs enough from the background.
  for (let tries = 0; Math.abs(luminance(fg) - luminance(bg)) < MIN_CONTRAST && tries < 20; tries++) {
    fg = [rng.next(), rng.next(), rng.next()];
  }
  if (Math.abs(luminance(fg) - luminance(bg)) < MIN_CONTRAST) fg = luminance(bg) > 0.5 ? [0.05, 0.05, 0.1] : [0.95, 0.95, 0.9];
  const gradDir = rng.uniform(0, 2 * Math.PI);
  const gradAmp = rng.uniform(0, 0.15);
  const size = Math.min(h, w);
  const radius = rng.uniform(0.3, 0.45) * size;
  const cx = rng.uniform(radius * 0.8, w - radius * 0.8);
  const cy = rng.uniform(radius * 0.8, h - radius * 0.8);
  const theta = rng.uniform(0, 2 * Math.PI);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const aspect = rng.uniform(0.85, 1.15);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const px = (x + (sx + 0.5) / SUPERSAMPLE - cx) / radius;
          const py = (y + (sy + 0.5) / SUPERSAMPLE - cy) / radius;
          const u = (cos * px + sin * py) * aspect;
          const v = (-sin * px + cos * py) / aspect;
          if (inside(u, v)) hits++;
        }
      }
      const a = hits / (SUPERSAMPLE * SUPERSAMPLE);
      const shade = gradAmp * (((x / w) - 0.5) * Math.cos(gradDir) + ((y / h) - 0.5) * Math.sin(gradDir));
      for (let c = 0; c < 3; c++) {
        const noise = (rng.next() + rng.next() - 1) * NOISE;
        out[(y * w + x) * 3 + c] = (1 - a) * (bg[c]! + shade) + a * fg[c]! + noise;
      }
    }
  }
}

/**
 * Generates a `shapes` dataset. The same options always give the same bytes.
 * @throws Error for an unknown shape name (an assignment-config error, not a student's).
 */
export function generateShapes(opts: ShapesOptions): ImageDataset {
  const classes = [...(opts.classes ?? TARGET_SHAPES)];
  for (const c of classes) {
    if (!SHAPE_CATALOGUE[c]) throw new Error(`Unknown shape "${c}"; known: ${Object.keys(SHAPE_CATALOGUE).join(", ")}`);
  }
  const [h, w, channels] = opts.shape;
  const rng = new SeededRandom(opts.seed);
  const sizes = classSizes(opts.count, classes.length, opts.imbalance ?? 1);
  const labels = new Uint8Array(opts.count);
  let at = 0;
  sizes.forEach((n, k) => {
    labels.fill(k, at, at + n);
    at += n;
  });
  rng.shuffle(labels as unknown as number[]);
  const px = h * w * channels;
  const images = new Uint8Array(opts.count * px);
  const rgb = new Float32Array(h * w * 3);
  for (let i = 0; i < opts.count; i++) {
    drawOne(rng, SHAPE_CATALOGUE[classes[labels[i]!]!]!, h, w, rgb);
    const base = i * px;
    for (let p = 0; p < h * w; p++) {
      if (channels === 3) {
        for (let c = 0; c < 3; c++) images[base + p * 3 + c] = Math.max(0, Math.min(255, Math.round(rgb[p * 3 + c]! * 255)));
      } else {
        const l = luminance([rgb[p * 3]!, rgb[p * 3 + 1]!, rgb[p * 3 + 2]!]);
        for (let c = 0; c < channels; c++) images[base + p * channels + c] = Math.max(0, Math.min(255, Math.round(l * 255)));
      }
    }
  }
  return { classes, shape: [h, w, channels], count: opts.count, images, labels };
}
