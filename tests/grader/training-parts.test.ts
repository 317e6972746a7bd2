import { beforeAll, describe, expect, it } from "vitest";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { SeededRandom } from "@/grader/random";
import { augmentationSchema } from "@/grader/spec/training";
import { augmentBatch, describeAugmentation } from "@/grader/train/augment";
import { classWeightVector } from "@/grader/train/class-weights";

let tf: Tf;
beforeAll(async () => {
  tf = (await loadTf()).tf;
});

describe("class weights", () => {
  it("balances by n / (k · count), like scikit-learn", () => {
    expect(classWeightVector("balanced", ["a", "b", "c"], [60, 30, 10])).toEqual([100 / 180, 100 / 90, 100 / 30]);
  });

  it("gives a class absent from the training data weight 1 and leaves it out of k", () => {
    expect(classWeightVector("balanced", ["a", "b", "c"], [50, 50, 0])).toEqual([1, 1, 1]);
  });

  it("takes explicit weights by class name, 1 for unnamed classes, and names an unknown class", () => {
    expect(classWeightVector({ b: 3 }, ["a", "b"], [1, 1])).toEqual([1, 3]);
    expect(() => classWeightVector({ z: 2 }, ["a", "b"], [1, 1])).toThrow(/unknown class z; classes are a, b/);
  });
});

describe("augmentation as batched tensor ops", () => {
  /** Two 2×3 single-channel images with distinct pixels. */
  const batch = (): import("@tensorflow/tfjs").Tensor4D =>
    tf.tensor4d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.15, 0.25, 0.35], [2, 2, 3, 1]);

  it("mirrors each image or leaves it as it is, drawn from the seed", async () => {
    const aug = augmentationSchema.parse({ horizontalFlip: true });
    const x = batch();
    const outs = [1, 2, 3, 4, 5, 6].map((seed) => tf.tidy(() => augmentBatch(tf, x, aug, new SeededRandom(seed)).arraySync()));
    const original = x.arraySync();
    const mirrored = tf.reverse(x, 2).arraySync();
    for (const out of outs) {
      for (let i = 0; i < 2; i++) expect([original[i], mirrored[i]]).toContainEqual(out[i]);
    }
    // Some seed flips something, and the same seed always does the same.
    expect(outs.some((o) => JSON.stringify(o) !== JSON.stringify(original))).toBe(true);
    expect(tf.tidy(() => augmentBatch(tf, x, aug, new SeededRandom(3)).arraySync())).toEqual(outs[2]);
    x.dispose();
  });

  it("keeps brightness-shifted pixels within 0..1", () => {
    const aug = augmentationSchema.parse({ brightnessRange: 1 });
    const x = batch();
    const values = tf.tidy(() => augmentBatch(tf, x, aug, new SeededRandom(1)).dataSync());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    x.dispose();
  });

  it("rotates, shifts and zooms with one transform per image, keeping the shape and creating no stray tensors", () => {
    const aug = augmentationSchema.parse({ rotationRange: 30, widthShiftRange: 0.2, heightShiftRange: 0.2, zoomRange: 0.2 });
    const x = tf.randomUniform([4, 8, 8, 3], 0, 1, "float32", 1) as import("@tensorflow/tfjs").Tensor4D;
    const before = tf.memory().numTensors;
    const out = tf.tidy(() => augmentBatch(tf, x, aug, new SeededRandom(9)));
    expect(out.shape).toEqual([4, 8, 8, 3]);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([out, x]);
    expect(describeAugmentation(aug)).toEqual(["rotation ±30°", "widthShift ±0.2", "heightShift ±0.2", "zoom ±0.2"]);
  });
});
