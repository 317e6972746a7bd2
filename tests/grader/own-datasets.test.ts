import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import yazl from "yazl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classCounts, subset, type ImageDataset } from "@/grader/data/image-dataset";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { readImageFolderZip } from "@/grader/data/image-folder-zip";
import { DEFAULT_SPLIT, PART, splitOwnDataset } from "@/grader/data/own-dataset-split";
import { inspectOwnDataset } from "@/grader/data/own-dataset-quality";
import { loadRealImages, sourceAvailable } from "@/grader/data/real-image-sources";

const FASHION = sourceAvailable("fashion-mnist");
if (!FASHION) console.warn("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): its tests are skipped");

let dir: string;
let digits: ImageDataset;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-own-datasets-"));
  digits = await loadRealImages("mnist");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The first `perClass` examples of each class, class by class. */
function firstOfEach(ds: ImageDataset, perClass: number): ImageDataset {
  const picked: number[] = [];
  for (let k = 0; k < ds.classes.length; k++) {
    for (let i = 0, n = 0; i < ds.count && n < perClass; i++) {
      if (ds.labels[i] === k) {
        picked.push(i);
        n++;
      }
    }
  }
  return subset(ds, picked);
}

/** `ds` with `copies` appended: each an altered copy of one of its images (brighter, blurred, or the same bytes). */
async function withCopies(ds: ImageDataset, sources: number[], alter: "exact" | "near"): Promise<ImageDataset> {
  const [h, w, c] = ds.shape;
  const px = h * w * c;
  const extra = await Promise.all(sources.map(async (s) => {
    const img = ds.images.subarray(s * px, (s + 1) * px);
    if (alter === "exact") return Uint8Array.from(img);
    // What a re-saved photo looks like: a little brighter, through JPEG at quality 80.
    const jpeg = await sharp(Buffer.from(img.map((v) => Math.min(255, v + 6))), { raw: { width: w, height: h, channels: c as 1 } })
      .jpeg({ quality: 80 }).toBuffer();
    return new Uint8Array(await sharp(jpeg).toColourspace("b-w").raw().toBuffer());
  }));
  const images = new Uint8Array((ds.count + sources.length) * px);
  images.set(ds.images);
  extra.forEach((img, n) => images.set(img, (ds.count + n) * px));
  const labels = Uint8Array.from([...ds.labels, ...sources.map((s) => ds.labels[s]!)]);
  return { ...ds, count: ds.count + sources.length, images, labels };
}

describe("a student's dataset: the platform's train / validation / test split", () => {
  it("is stratified: every class is split in the same proportions and appears in every part", () => {
    const ds = firstOfEach(digits, 40);
    const { part, sizes } = splitOwnDataset(ds, { seed: 7, ...DEFAULT_SPLIT, nearDuplicateBits: -1 });
    for (let k = 0; k < 10; k++) {
      const mine = [...part].filter((_, i) => ds.labels[i] === k);
      expect(mine.filter((p) => p === PART.test)).toHaveLength(6);
      expect(mine.filter((p) => p === PART.validation)).toHaveLength(6);
      expect(mine.filter((p) => p === PART.train)).toHaveLength(28);
    }
    expect(sizes).toEqual({ train: 280, validation: 60, test: 60, removed: 0 });
  });

  it("gives every part one image of a class with only three", () => {
    const ds = firstOfEach(digits, 3);
    const { part } = splitOwnDataset(ds, { seed: 1, ...DEFAULT_SPLIT });
    for (let k = 0; k < 10; k++) {
      expect([...part].filter((_, i) => ds.labels[i] === k).sort()).toEqual([PART.train, PART.validation, PART.test]);
    }
  });

  it("is seeded: the same seed gives the same split, another seed another", () => {
    const ds = firstOfEach(digits, 30);
    const a = splitOwnDataset(ds, { seed: 11, ...DEFAULT_SPLIT }).part;
    expect(splitOwnDataset(ds, { seed: 11, ...DEFAULT_SPLIT }).part).toEqual(a);
    expect(splitOwnDataset(ds, { seed: 12, ...DEFAULT_SPLIT }).part).not.toEqual(a);
  });

  it.each(["exact", "near"] as const)("keeps %s copies of training or validation images out of the test split, and reports them", async (alter) => {
    const base = firstOfEach(digits, 30);
    const sources = Array.from({ length: 60 }, (_, n) => n * 5);
    const ds = await withCopies(base, sources, alter);
    const { part, duplicates, sizes } = splitOwnDataset(ds, { seed: 3, ...DEFAULT_SPLIT });
    sources.forEach((s, n) => {
      const copy = base.count + n;
      const inTest = [s, copy].filter((i) => part[i] === PART.test);
      const outside = [s, copy].filter((i) => part[i] === PART.train || part[i] === PART.validation);
      expect(inTest.length > 0 && outside.length > 0, `image ${s} and its copy ${copy} straddle the test split`).toBe(false);
    });
    const removed = duplicates.filter((d) => d.removedFromTest);
    expect(removed.length).toBeGreaterThan(0);
    expect(sizes.removed).toBe(removed.length);
    for (const d of removed) expect(part[d.image]).toBe(PART.removed);
    // Every injected pair is found, in whichever part its two images fell.
    for (const [n, s] of sources.entries()) {
      expect(duplicates.some((d) => (d.image === base.count + n && d.of === s) || (d.image === s && d.of === base.count + n))).toBe(true);
    }
    if (alter === "exact") expect(removed.every((d) => d.exact)).toBe(true);
  });

  it.skipIf(!FASHION)("does not call different Fashion-MNIST photos duplicates", async () => {
    const photos = firstOfEach(await loadRealImages("fashion-mnist"), 200);
    const { duplicates, sizes } = splitOwnDataset(photos, { seed: 1, ...DEFAULT_SPLIT });
    expect(duplicates).toEqual([]);
    expect(sizes.test).toBe(300);
  });
});

describe("datasets:export: a real-image dataset in the flow_from_directory layout", () => {
  it("writes a seeded subset of MNIST digits that the grader's reader loads back, class by class", async () => {
    const out = path.join(dir, "digits.zip");
    const written = await exportImageFolderZip(digits, { classes: ["3", "7"], perClass: 25, seed: 5 }, out);
    expect(written).toEqual({ "3": 25, "7": 25 });
    const back = await readImageFolderZip(out, [28, 28, 1]);
    expect(back.classes).toEqual(["3", "7"]);
    expect(classCounts(back)).toEqual([25, 25]);
    // The pixels survive the PNG round trip: each exported image is one of the source's threes or sevens.
    const px = 28 * 28;
    const source = new Set<string>();
    for (let i = 0; i < digits.count; i++) if (digits.labels[i] === 3) source.add(Buffer.from(digits.images.subarray(i * px, (i + 1) * px)).toString("base64"));
    expect(source.has(Buffer.from(back.images.subarray(0, px)).toString("base64"))).toBe(true);
  });

  it("refuses an unknown class and a class too small for the count asked", async () => {
    await expect(exportImageFolderZip(digits, { classes: ["3", "cat"], perClass: 5, seed: 1 }, path.join(dir, "x.zip"))).rejects.toThrow(/Unknown class\(es\) cat/);
    await expect(exportImageFolderZip(digits, { classes: ["3"], perClass: 5_000, seed: 1 }, path.join(dir, "y.zip"))).rejects.toThrow(/Class 3 has 863 images; 5000 were asked for/);
  });

  it("reads WebP photos in an uploaded folder as well as PNG and JPEG", async () => {
    const out = path.join(dir, "webp.zip");
    const zip = new yazl.ZipFile();
    const done = once(zip.outputStream.pipe(createWriteStream(out)), "close");
    const photo = (r: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 90, b: 200 } } });
    zip.addBuffer(await photo(10).webp().toBuffer(), "cats/a.webp");
    zip.addBuffer(await photo(200).jpeg().toBuffer(), "dogs/b.jpg");
    zip.end();
    await done;
    const back = await readImageFolderZip(out, [16, 16, 3]);
    expect(back.classes).toEqual(["cats", "dogs"]);
    expect(back.images[0]).toBeLessThan(30);
    expect(back.images[16 * 16 * 3]).toBeGreaterThan(180);
  });

  it.skipIf(!FASHION)("exports Fashion-MNIST clothing by name", async () => {
    const out = path.join(dir, "clothes.zip");
    const written = await exportImageFolderZip(await loadRealImages("fashion-mnist"), { classes: ["shirt", "sneaker", "bag"], perClass: 20, seed: 1 }, out);
    expect(written).toEqual({ shirt: 20, sneaker: 20, bag: 20 });
    expect((await readImageFolderZip(out, [32, 32, 3])).classes).toEqual(["bag", "shirt", "sneaker"]);
  });
});

/** An archive of `files` (name → bytes). */
async function zipOf(file: string, files: Record<string, Buffer>): Promise<string> {
  const zip = new yazl.ZipFile();
  const done = once(zip.outputStream.pipe(createWriteStream(file)), "close");
  for (const [name, bytes] of Object.entries(files)) zip.addBuffer(bytes, name);
  zip.end();
  await done;
  return file;
}

const photo = (r: number, width = 40, height = 30) =>
  sharp({ create: { width, height, channels: 3, background: { r, g: (r * 7) % 255, b: 255 - r } } }).png().toBuffer();

describe("a student's dataset: the quality panel", () => {
  it("counts classes and sizes, names skipped files, and splits without losing a class", async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 12; i++) files[`cats/c${i}.png`] = await photo(10 + i * 9, 40 + i, 30);
    for (let i = 0; i < 24; i++) files[`dogs/d${i}.png`] = await photo(130 + i * 4, 64, 48);
    files["dogs/broken.png"] = Buffer.from("not really a png");
    files["cats/readme.txt"] = Buffer.from("hello");
    const { quality } = await inspectOwnDataset(await zipOf(path.join(dir, "pets.zip"), files), [32, 32, 3], { seed: 4 });
    expect(quality.classes.map((c) => [c.name, c.images])).toEqual([["cats", 12], ["dogs", 24]]);
    expect(quality.imbalanceRatio).toBe(2);
    expect(quality.originalSizes).toMatchObject({ minWidth: 40, maxWidth: 64, minHeight: 30, maxHeight: 48 });
    expect(quality.skipped.map((p) => p.file).sort()).toEqual(["cats/readme.txt", "dogs/broken.png"]);
    for (const c of quality.classes) {
      expect(c.train + c.validation + c.test).toBe(c.images);
      expect(c.test).toBeGreaterThan(0);
      expect(c.thumbnails.length).toBe(6);
    }
    expect(quality.split.train + quality.split.validation + quality.split.test + quality.split.removedFromTest).toBe(36);
  });

  it("refuses a dataset with too few images in a class, naming the folder", async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 10; i++) files[`cats/c${i}.png`] = await photo(i * 20);
    for (let i = 0; i < 3; i++) files[`owls/o${i}.png`] = await photo(200 + i);
    await expect(inspectOwnDataset(await zipOf(path.join(dir, "few.zip"), files), [32, 32, 3], { seed: 1 }))
      .rejects.toThrow(/owls\/: 3 usable image\(s\); each class needs at least 8/);
  });

  it("refuses more classes than the course allows", async () => {
    const files: Record<string, Buffer> = {};
    for (let k = 0; k < 4; k++) for (let i = 0; i < 8; i++) files[`class${k}/${i}.png`] = await photo(k * 60 + i);
    await expect(inspectOwnDataset(await zipOf(path.join(dir, "many.zip"), files), [16, 16, 3], { seed: 1, rules: { minClasses: 2, maxClasses: 3, minImagesPerClass: 8 } }))
      .rejects.toThrow(/4 class folders; at most 3 are allowed/);
  });

  it.skipIf(!FASHION)("reports a Fashion-MNIST export as balanced 28 px photos with no duplicates", async () => {
    const out = path.join(dir, "clothes-quality.zip");
    await exportImageFolderZip(await loadRealImages("fashion-mnist"), { classes: ["shirt", "sneaker", "bag"], perClass: 60, seed: 2 }, out);
    const { quality } = await inspectOwnDataset(out, [32, 32, 1], { seed: 9 });
    expect(quality.imbalanceRatio).toBe(1);
    expect(quality.originalSizes).toEqual({ minWidth: 28, maxWidth: 28, minHeight: 28, maxHeight: 28, distinct: 1, common: [{ width: 28, height: 28, images: 180 }] });
    expect(quality.duplicates).toEqual([]);
    expect(quality.split).toMatchObject({ train: 126, validation: 27, test: 27, removedFromTest: 0 });
  });
});
