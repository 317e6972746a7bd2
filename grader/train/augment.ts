import type { Tensor4D } from "@tensorflow/tfjs";
import type { Tf } from "../backend/load-tf";
import type { SeededRandom } from "../random";
import type { Augmentation } from "../spec/training";

/** True when the spec asks for any augmentation at all. */
export function augments(a: Augmentation): boolean {
  return a.horizontalFlip || a.verticalFlip || a.rotationRange > 0 || a.widthShiftRange > 0 ||
    a.heightShiftRange > 0 || a.zoomRange > 0 || a.brightnessRange > 0;
}

/** Human-readable list for the report (`horizontalFlip`, `rotation ±15°`, ...). */
export function describeAugmentation(a: Augmentation): string[] {
  const out: string[] = [];
  if (a.horizontalFlip) out.push("horizontalFlip");
  if (a.verticalFlip) out.push("verticalFlip");
  if (a.rotationRange > 0) out.push(`rotation ±${a.rotationRange}°`);
  if (a.widthShiftRange > 0) out.push(`widthShift ±${a.widthShiftRange}`);
  if (a.heightShiftRange > 0) out.push(`heightShift ±${a.heightShiftRange}`);
  if (a.zoomRange > 0) out.push(`zoom ±${a.zoomRange}`);
  if (a.brightnessRange > 0) out.push(`brightness ±${a.brightnessRange}`);
  return out;
}

/**
 * Augments a batch of [b, h, w, c] images on the 0..1 scale with batched tensor ops; every random draw comes from
 * `rng`, so the submission seed fixes the augmentation. Flips select between the batch and its mirror per image;
 * rotation, shift and zoom are one projective transform per image (nearest fill, like Keras); brightness adds a
 * per-image offset and clips. Call inside `tf.tidy`.
 */
export function augmentBatch(tf: Tf, x: Tensor4D, a: Augmentation, rng: SeededRandom): Tensor4D {
  const [b, h, w] = x.shape;
  let out = x;
  const flip = (axis: 1 | 2): void => {
    const mask = Array.from({ length: b }, () => (rng.next() < 0.5 ? 1 : 0));
    const m = tf.tensor4d(mask, [b, 1, 1, 1]);
    // A 0/1 blend picks exactly the mirrored or the original pixel; on the WebAssembly backend it is far cheaper than
    // `where` with a broadcast mask, and FlipLeftRight is a native kernel where Reverse is a generic loop.
    const mirrored = axis === 2 ? tf.image.flipLeftRight(out) : tf.reverse(out, axis);
    out = tf.add(tf.mul(mirrored, m), tf.mul(out, tf.sub(1, m)));
  };
  if (a.horizontalFlip) flip(2);
  if (a.verticalFlip) flip(1);
  if (a.rotationRange > 0 || a.widthShiftRange > 0 || a.heightShiftRange > 0 || a.zoomRange > 0) {
    const cx = (w - 1) / 2;
    const cy = (h - 1) / 2;
    const transforms: number[] = [];
    for (let i = 0; i < b; i++) {
      const theta = (rng.uniform(-a.rotationRange, a.rotationRange) * Math.PI) / 180;
      const zoom = rng.uniform(1 - a.zoomRange, 1 + a.zoomRange);
      const tx = rng.uniform(-a.widthShiftRange, a.widthShiftRange) * w;
      const ty = rng.uniform(-a.heightShiftRange, a.heightShiftRange) * h;
      // Output pixel p reads input q = M (p - c) + c + t, with M a rotation scaled by 1/zoom.
      const m00 = Math.cos(theta) / zoom;
      const m01 = -Math.sin(theta) / zoom;
      const m10 = Math.sin(theta) / zoom;
      const m11 = Math.cos(theta) / zoom;
      transforms.push(m00, m01, cx + tx - m00 * cx - m01 * cy, m10, m11, cy + ty - m10 * cx - m11 * cy, 0, 0);
    }
    out = tf.image.transform(out, tf.tensor2d(transforms, [b, 8]), "bilinear", "nearest");
  }
  if (a.brightnessRange > 0) {
    const delta = Array.from({ length: b }, () => rng.uniform(-a.brightnessRange, a.brightnessRange));
    out = tf.clipByValue(tf.add(out, tf.tensor4d(delta, [b, 1, 1, 1])), 0, 1) as Tensor4D;
  }
  return out;
}
