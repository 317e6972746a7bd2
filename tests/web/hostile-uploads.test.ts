import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import type { DbHandle } from "@/db";
import { datasets, submissions } from "@/db/schema";
import { handleCreateSubmission } from "@/app/api/assignments/[number]/submissions/handle-create-submission";
import { handleDatasetUpload } from "@/app/courses/[slug]/assignments/[number]/datasets/decode-dataset-upload";
import { uploadLimitsSchema } from "@/grader/assignment/schema";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { deflatedZip, folderZip, lyingZip } from "../helpers/hostile-zips";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { enrolStudent, failure, formPost, zipFile } from "./fixtures";
import { blobStore } from "@/grader/storage/blob-store";

const MB = 1024 * 1024;

/** A valid model.json for a 4-input, 3-unit dense layer: its one shard must hold 60 bytes. */
const modelJson = JSON.stringify({
  format: "layers-model",
  modelTopology: { class_name: "Sequential", config: { name: "s", layers: [{ class_name: "Dense", config: { name: "d", units: 3, batch_input_shape: [null, 4] } }] } },
  weightsManifest: [{ paths: ["weights.bin"], weights: [{ name: "d/kernel", shape: [4, 3], dtype: "float32" }, { name: "d/bias", shape: [3], dtype: "float32" }] }],
});

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toBuffer();

/** Files left under the data directory's blob store: a refused upload leaves none, stored or spooled. */
function filesLeft(dataDir: string): string[] {
  const root = path.join(dataDir, "blobs");
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(root, p)).isFile());
}

describe(`hostile uploads to the submit and dataset routes on ${dbDriverName}`, () => {
  let h: DbHandle;
  let dataDir: string;
  let student: { id: string; role: "student" };
  const instructor = { id: "", role: "instructor" as const };
  const assignmentIds = new Map<number, string>();

  beforeAll(async () => {
    h = await createTestDb();
    // Assignment 6 with the default caps; assignment 7 with its own, small ones.
    const six = await seedAssignment(h.db);
    const seven = await seedAssignment(h.db, tinyAssignmentConfig({
      number: 7,
      slug: "lesson-7",
      uploads: uploadLimitsSchema.parse({ model: { maxEntries: 10, maxUploadBytes: 64 * 1024 }, dataset: { maxImages: 3, maxImageSide: 64 } }),
    }));
    assignmentIds.set(6, six.assignmentId).set(7, seven.assignmentId);
    const s = await seedUser(h.db);
    await enrolStudent(h.db, six.courseId, s.id);
    await enrolStudent(h.db, seven.courseId, s.id);
    student = { id: s.id, role: "student" };
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-hostile-"));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const submitModel = (bytes: Buffer, number = "6") =>
    handleCreateSubmission(formPost(`http://test/api/assignments/${number}/submissions`, { mode: "model", model: zipFile(bytes) }), student, number, h.db, { queue: null, dataDir });
  const uploadDataset = (bytes: Buffer, number = 6) =>
    handleDatasetUpload(formPost("http://test/datasets/upload", { role: "train", format: "image-folder", archive: zipFile(bytes) }), instructor, h.db, { assignmentId: assignmentIds.get(number)!, dataDir });

  it("refuses a model zip bomb of zeros with a 422 naming the entry, before inflating it, and keeps no file", async () => {
    // 32 MB of zeros in ~32 KB (the one found inflated 256 MB from 418 KB; the ratio is what gives it away).
    const bomb = await deflatedZip([{ name: "model.json", data: modelJson }, { name: "weights.bin", zeros: 32 * MB }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const err = await failure(submitModel(bomb));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/"weights\.bin" inflates 1,0\d\d times its compressed size \(the limit is 100×\): refused as a zip bomb/);
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "model" }));
    expect(filesLeft(dataDir)).toEqual([]);
    expect(await h.db.select().from(submissions).where(eq(submissions.userId, student.id))).toHaveLength(0);
  });

  it("refuses a model zip that lies about its sizes, at the first bytes past what it declared", async () => {
    const err = await failure(submitModel(await lyingZip("weights.bin", 32 * MB, 60, [{ name: "model.json", data: modelJson }])));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/"weights\.bin" (is corrupt|inflates)/);
    expect(filesLeft(dataDir)).toEqual([]);
  });

  it("refuses a zip of 100,000 folders: folders count against the entry cap", async () => {
    const err = await failure(submitModel(folderZip(100_000, [["model.json", Buffer.from(modelJson)], ["weights.bin", Buffer.alloc(60)]])));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/more than 1000 files and folders \(100,002 entries\)/);
    expect(filesLeft(dataDir)).toEqual([]);
  });

  it("refuses at submit a weight shard longer than model.json's manifest says", async () => {
    const err = await failure(submitModel(await deflatedZip([{ name: "model.json", data: modelJson }, { name: "weights.bin", data: Buffer.alloc(64, 1) }])));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/"weights\.bin" \(weight group 1 of model\.json\) holds 64 bytes, but the manifest's weights need 60 bytes/);
  });

  it("stores a sound model zip as uploaded, without the web process unpacking it", async () => {
    const created = await submitModel(await deflatedZip([{ name: "model/model.json", data: modelJson }, { name: "model/weights.bin", data: Buffer.alloc(60, 1) }]));
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, created.id));
    expect(row!.kind).toBe("model");
    expect((await blobStore(dataDir).get(row!.artifactKey!)).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    // Only the stored zip remains, its key being its place under the store: nothing spooled is left behind.
    expect(filesLeft(dataDir)).toEqual([row!.artifactKey!]);
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, created.id));
  });

  it("applies the assignment's own caps from its uploads: block (413 for the upload's size, 422 for its entries)", async () => {
    const tooBig = await failure(submitModel(await deflatedZip([{ name: "model.json", data: modelJson }, { name: "weights.bin", data: randomBytes(70_000) }]), "7"));
    expect(tooBig.status).toBe(413);
    expect(tooBig.message).toMatch(/The model archive is .* MB; the limit is 0\.1 MB/);
    const files: [string, Buffer][] = Array.from({ length: 12 }, (_, i) => [`extra-${i}.txt`, Buffer.from("x")]);
    const many = await failure(submitModel(await deflatedZip([{ name: "model.json", data: modelJson }, { name: "weights.bin", data: Buffer.alloc(60) }, ...files.map(([name, data]) => ({ name, data }))]), "7"));
    expect(many.status).toBe(422);
    expect(many.message).toMatch(/more than 10 files and folders/);
  });

  it("refuses an instructor's dataset zip bomb with a 422 naming the problem, and keeps no file", async () => {
    const parts = [...Array.from({ length: 16 }, (_, i) => ({ name: `circle/${i}.png`, zeros: 4 * MB })), { name: "square/0.png", data: await png(8, 8) }];
    const bomb = await deflatedZip(parts);
    const err = await failure(uploadDataset(bomb));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/"circle\/0\.png" inflates 1,0\d\d times its compressed size .*: refused as a zip bomb/);
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "archive" }));
    expect(filesLeft(dataDir).filter((f) => f.startsWith("datasets") || f.startsWith("incoming"))).toEqual([]);
    expect(await h.db.select().from(datasets)).toHaveLength(0);
  });

  it("caps the images decoded and their size, read from their headers, per the assignment", async () => {
    const tooMany = await deflatedZip(await Promise.all(["circle/a", "circle/b", "square/a", "triangle/a"].map(async (n) => ({ name: `${n}.png`, data: await png(8, 8) }))));
    const many = await failure(uploadDataset(tooMany, 7));
    expect(many.status).toBe(422);
    expect(many.message).toMatch(/has 4 images; the limit is 3/);
    const huge = await deflatedZip([{ name: "circle/a.png", data: await png(8, 8) }, { name: "square/a.png", data: await png(100, 10) }]);
    const side = await failure(uploadDataset(huge, 7));
    expect(side.message).toMatch(/square\/a\.png: 100×10 pixels is larger than 64 pixels a side/);
  });
});
