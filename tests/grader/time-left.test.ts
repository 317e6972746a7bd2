import { describe, expect, it } from "vitest";
import { createTimeLeftEstimator } from "@/grader/train/time-left";
import { addProgressPoint, gradingProgressSchema, progressPoint, type GradingProgress } from "@/grader/contracts/grading-progress";

/** A clock the test moves by hand. */
function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("the time left of a grading job", () => {
  it("does not judge the job by its slow first batch: 10 minutes promised for a 1.5-minute job was the bug", () => {
    const c = clock();
    // 5 epochs × 2,700 images in batches of 64, 1,000 held-out images; 2 s of warm-up, then 0.4 s per batch.
    const eta = createTimeLeftEstimator({ totalImages: 5 * 2700, evaluationImages: 1000, now: c.now });
    c.advance(2_000);
    expect(eta.afterBatch(64)).toBeUndefined();
    const estimates: (number | undefined)[] = [];
    for (let b = 2; b <= 5; b++) {
      c.advance(400);
      estimates.push(eta.afterBatch(64 * b));
    }
    // Nothing to go on for three timed batches, then 160 images/s: (13,500 − 320) / 160 + 1,000 / 480.
    expect(estimates.slice(0, 2)).toEqual([undefined, undefined]);
    expect(estimates.at(-1)).toBeCloseTo((13_500 - 320) / 160 + 1000 / 480, 5);
  });

  it("starts from the assignment's measured speed, and moves to the job's own as its batches are timed", () => {
    const c = clock();
    const eta = createTimeLeftEstimator({ totalImages: 6400, evaluationImages: 0, priorImagesPerSecond: 100, now: c.now });
    c.advance(5_000); // a very slow warm-up batch changes nothing
    expect(eta.afterBatch(64)).toBeCloseTo((6400 - 64) / 100, 5);
    let last: number | undefined;
    for (let b = 2; b <= 40; b++) {
      c.advance(320); // 200 images/s
      last = eta.afterBatch(64 * b);
    }
    expect(last).toBeCloseTo((6400 - 64 * 40) / 200, 5);
  });

  it("never promises more than the wall-clock budget leaves for training", () => {
    const c = clock();
    const eta = createTimeLeftEstimator({ totalImages: 1e6, evaluationImages: 0, priorImagesPerSecond: 10, deadline: c.now() + 60_000, now: c.now });
    expect(eta.afterBatch(64)).toBeLessThanOrEqual(60);
  });
});

describe("the live curves a progress stream draws", () => {
  const event = (epoch: number, batch: number, extra: Partial<GradingProgress> = {}): GradingProgress => ({
    phase: "training", epoch, epochs: 3, batch, batches: 4, loss: 1, acc: 0.5, ...extra,
  });

  it("refuses an event with a figure that is not a finite number (JSON would carry NaN and Infinity as null)", () => {
    expect(gradingProgressSchema.safeParse(event(1, 1)).success).toBe(true);
    expect(gradingProgressSchema.safeParse(event(1, 4, { epochEnd: true, valLoss: Number.NaN })).success).toBe(false);
    expect(gradingProgressSchema.safeParse(event(1, 1, { etaSeconds: Number.POSITIVE_INFINITY })).success).toBe(false);
  });

  it("puts batch points inside their epoch and closes each epoch with a whole point that carries validation", () => {
    expect(progressPoint(event(2, 1))).toMatchObject({ epoch: 1.25, valLoss: null });
    expect(progressPoint(event(2, 4, { epochEnd: true, valLoss: 0.9, valAcc: 0.6 }))).toMatchObject({ epoch: 2, valLoss: 0.9, valAcc: 0.6 });
    expect(progressPoint({ ...event(0, 0), phase: "loading" })).toBeNull();
  });

  it("keeps every epoch's closing point when it thins a long run, and starts over when a retried job trains again", () => {
    let points = [] as ReturnType<typeof addProgressPoint>;
    for (let epoch = 1; epoch <= 20; epoch++) {
      for (let batch = 1; batch <= 40; batch++) points = addProgressPoint(points, progressPoint(event(epoch, batch, { batches: 40 }))!, 100);
      points = addProgressPoint(points, progressPoint(event(epoch, 40, { batches: 40, epochEnd: true, valLoss: 1, valAcc: 0.5 }))!, 100);
    }
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points.filter((p) => p.valLoss !== null).map((p) => p.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(points.map((p) => p.epoch)).toEqual([...points.map((p) => p.epoch)].sort((a, b) => a - b));
    const restarted = addProgressPoint(points, progressPoint(event(1, 1))!).map((p) => p.epoch);
    expect(restarted.at(-1)).toBe(0.25);
    expect(restarted.every((x) => x <= 0.25)).toBe(true);
  });
});
