import { beforeAll, describe, expect, it } from "vitest";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { SeededRandom } from "@/grader/random";
import { augmentationSchema } from "@/grader/spec/training";
import { augmentBatch } from "@/grader/train/augment";
import { seededValues } from "../helpers/compare-backends";

/**
 * Flip augmentation is computed as a 0/1 blend of the batch and its mirror (fast on the WebAssembly backend); it must
 * still give exactly the mirrored image where the seeded mask says so and exactly the original elsewhere.
 */

let tf: Tf;

beforeAll(async () => {
  tf = (await loadTf()).tf;
});

const [B, H, W, C] = [6, 5, 7, 3];

/** The expected batch, flipped image by image in plain JS: axis 2 mirrors columns, axis 1 rows. */
function mirrorWhere(x: Float32Array, flip: boolean[], axis: 1 | 2): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < H; r++) {
      for (let q = 0; q < W; q++) {
        const sr = flip[b] && axis === 1 ? H - 1 - r : r;
        const sq = flip[b] && axis === 2 ? W - 1 - q : q;
        for (let c = 0; c < C; c++) out[((b * H + r) * W + q) * C + c] = x[((b * H + sr) * W + sq) * C + c]!;
      }
    }
  }
  return out;
}

describe("flip augmentation", () => {
  for (const [name, axis] of [["horizontal", 2], ["vertical", 1]] as const) {
    it(`mirrors exactly the images the seeded mask selects (${name})`, async () => {
      const pixels = seededValues(B * H * W * C, 11).map((v) => v + 0.5);
      const spec = augmentationSchema.parse(axis === 2 ? { horizontalFlip: true } : { verticalFlip: true });
      const x = tf.tensor4d(pixels, [B, H, W, C]);
      const out = tf.tidy(() => augmentBatch(tf, x, spec, new SeededRandom(5)));
      const actual = (await out.data()) as Float32Array;
      tf.dispose([x, out]);
      const draws = new SeededRandom(5);
      const mask = Array.from({ length: B }, () => draws.next() < 0.5);
      expect(mask).toContain(true);
      expect(mask).toContain(false);
      expect(Array.from(actual)).toEqual(Array.from(mirrorWhere(pixels, mask, axis)));
    });
  }
});
