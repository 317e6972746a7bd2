import { instructorDatasets } from "@/grader/assignment/schema";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import type { DbHandle } from "@/db";
import { datasets } from "@/db/schema";
import { handleDatasetUpload } from "@/app/courses/[slug]/assignments/[number]/datasets/decode-dataset-upload";
import { previewDataset } from "@/app/courses/[slug]/assignments/[number]/datasets/dataset-preview";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { heldoutSplitInput, setHeldoutSplit } from "@/db/queries/datasets/set-heldout-split";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment } from "../queue/fixtures/builders";
import { failure, formPost, zipFile, zipOf } from "./fixtures";
import { blobStore } from "@/grader/storage/blob-store";

const png = (r: number, g: number, b: number) =>
  sharp({ create: { width: 20, height: 20, channels: 3, background: { r, g, b } } }).png().toBuffer();

/** The dataset upload form, posted. */
const upload = (fields: Record<string, string | File>) => formPost("http://test/instructor/datasets/upload", fields);

describe(`dataset management on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let dataDir: string;
  const instructor = { role: "instructor" as const };

  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-datasets-"));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const send = (req: Request, who: { role: "student" | "instructor" } = instructor) =>
    handleDatasetUpload(req, who, h.db, { assignmentId, dataDir });

  it("registers an image-folder zip as the training set, with class counts, and points the grader at it", async () => {
    const archive = await zipOf({
      "train/circle/a.png": await png(255, 0, 0),
      "train/circle/b.png": await png(250, 10, 0),
      "train/square/a.png": await png(0, 255, 0),
      "train/triangle/a.png": await png(0, 0, 255),
    });
    const result = await send(upload({ role: "train", format: "image-folder", archive: zipFile(archive, "shapes.zip") }));
    expect(result).toMatchObject({ role: "train", exampleCount: 4, classCounts: { circle: 2, square: 1, triangle: 1 } });

    const assignment = await findAssignmentById(h.db, assignmentId);
    expect(instructorDatasets(assignment.config).train).toMatchObject({ format: "image-folder" });
    const active = await h.db.select().from(datasets).where(and(eq(datasets.assignmentId, assignmentId), eq(datasets.active, true)));
    expect(active).toHaveLength(1);
    // The page decodes it the way the grader will, at the assignment's 16×16 input size, with thumbnails.
    const preview = await previewDataset(assignment.config, "train", dataDir);
    expect(preview.classes.map((c) => [c.name, c.count, c.thumbnails.length])).toEqual([["circle", 2, 2], ["square", 1, 1], ["triangle", 1, 1]]);
    expect(preview.classes[0]!.thumbnails[0]).toMatch(/^data:image\/png;base64,/);
  });

  it("refuses a zip whose class folders are not the assignment's classes, and keeps the previous set", async () => {
    const archive = await zipOf({ "dog/a.png": await png(1, 2, 3), "cat/a.png": await png(3, 2, 1) });
    const err = await failure(send(upload({ role: "train", format: "image-folder", archive: zipFile(archive, "pets.zip") })));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/classes not in the assignment: cat, dog/);
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "archive" }));
    const assignment = await findAssignmentById(h.db, assignmentId);
    expect(fs.existsSync(await blobStore(dataDir).localPath((instructorDatasets(assignment.config).train as { blob: string }).blob))).toBe(true);
  });

  it("refuses CIFAR-10 and IDX files that are not what they claim, on their field", async () => {
    const cifar = await failure(send(upload({ role: "heldout", format: "cifar10", batches: new File([new Uint8Array(100)], "data_batch_1.bin") })));
    expect(cifar.issues).toContainEqual(expect.objectContaining({ path: "batches", message: expect.stringMatching(/not a CIFAR-10 binary batch/) }));
    const idx = await failure(send(upload({ role: "heldout", format: "mnist-idx", images: new File([new Uint8Array(64)], "imgs"), labels: new File([new Uint8Array(64)], "lbls") })));
    expect(idx.issues).toContainEqual(expect.objectContaining({ path: "images", message: expect.stringMatching(/not an IDX images file/) }));
    expect((await failure(send(upload({ role: "heldout", format: "mnist-idx" })))).issues).toContainEqual(expect.objectContaining({ path: "images" }));
  });

  it("is an instructor action: a student gets 403", async () => {
    expect((await failure(send(upload({ role: "train", format: "image-folder" }), { role: "student" }))).status).toBe(403);
  });

  it("sets the held-out split, refusing fractions that leave a part empty", async () => {
    const bad = heldoutSplitInput.safeParse({ assignmentId, publicFraction: "1", splitSeed: "x" });
    expect(bad.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["publicFraction", "The private part must hold some examples (less than 1)."],
      ["splitSeed", "Enter a whole-number seed."],
    ]);
    await setHeldoutSplit(h.db, heldoutSplitInput.parse({ assignmentId, publicFraction: "0.3", splitSeed: "42" }));
    const { config } = await findAssignmentById(h.db, assignmentId);
    expect([config.publicFraction, config.splitSeed]).toEqual([0.3, 42]);
    // The built-in held-out set of 30 shapes splits stratified: 3 of each 10 public.
    const preview = await previewDataset(config, "heldout", dataDir);
    expect(preview.classes.map((c) => [c.publicCount, c.privateCount])).toEqual([[3, 7], [3, 7], [3, 7]]);
    expect(preview.classes.every((c) => c.thumbnails.length === 0)).toBe(true);
  });
});
