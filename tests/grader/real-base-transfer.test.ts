import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceAvailable } from "@/grader/data/real-image-sources";
import { findBase } from "@/grader/registry/registered-bases";
import { fewLabelAssignment, fromScratchVsFrozen, UNSEEN_FASHION } from "@/bench/real-base-transfer-run";

const FASHION = sourceAvailable("fashion-mnist");
if (!FASHION) console.warn("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): the fashion-base transfer test is skipped");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-real-transfer-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("fashion-base: a base pretrained on real photos (five Fashion-MNIST classes)", () => {
  it("is registered and says what it was pretrained on, which is none of the classes it is tested on", () => {
    const base = findBase("fashion-base")!;
    expect(base.inputShape).toEqual([32, 32, 3]);
    expect(base.source).toMatch(/--source fashion-mnist --classes tshirt,trouser,pullover,dress,coat/);
    for (const c of UNSEEN_FASHION) expect(base.description).not.toMatch(new RegExp(`\\b${c}\\b`));
  });

  it.skipIf(!FASHION)("frozen, beats the same network trained from scratch on the five unseen classes with 10 labels each", async () => {
    const { frozen, scratch, margin } = await fromScratchVsFrozen(await fewLabelAssignment("fashion-unseen", dir), 1, path.join(dir, "cache"));
    expect(margin, `frozen ${JSON.stringify(frozen)} vs scratch ${JSON.stringify(scratch)}`).toBeGreaterThan(0.05);
  });
});
