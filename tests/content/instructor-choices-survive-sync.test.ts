import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import type { DbHandle } from "@/db";
import { assignments, datasets, users } from "@/db/schema";
import { seedDatabase } from "@/db/seed/seed";
import { handleDatasetUpload } from "@/app/courses/[slug]/assignments/[number]/datasets/decode-dataset-upload";
import { previewDataset } from "@/app/courses/[slug]/assignments/[number]/datasets/dataset-preview";
import { heldoutSplitInput, setHeldoutSplit } from "@/db/queries/datasets/set-heldout-split";
import { findAssignmentInCourse } from "@/db/queries/assignments/find-assignment";
import { effectiveAssignmentConfig } from "@/db/queries/assignments/effective-assignment-config";
import { submitForGrading } from "@/grader/queue/submit-for-grading";
import { loadGradeInput } from "@/grader/worker/load-grade-input";
import { blobStore } from "@/grader/storage/blob-store";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { smallCnnLayers } from "../helpers/small-cnn";
import { formPost, zipFile, zipOf } from "../web/fixtures";

const CLASSES = ["circle", "square", "triangle", "cross", "star"];

const png = (shade: number) =>
  sharp({ create: { width: 32, height: 32, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } }).png().toBuffer();

/** A spec that fits Assignment 6 (32×32×3, five classes). */
const smallCnn = {
  kind: "cnn" as const,
  name: "small cnn",
  layers: smallCnnLayers(5),
  training: { optimizer: "adam", learningRate: 0.01, epochs: 1, batchSize: 16 },
};

/** What `npm start` does after assignment.yaml was edited: the stored hash no longer matches the file, so the sync rewrites the config. */
async function restartAfterEditingTheYaml(h: DbHandle, assignmentId: string): Promise<void> {
  await h.db.update(assignments).set({ contentHash: "hash of the assignment.yaml before the edit" }).where(eq(assignments.id, assignmentId));
  await seedDatabase(h.db, { demo: false });
}

describe(`an instructor's dataset upload and split survive a content sync (${dbDriverName})`, () => {
  let h: DbHandle;
  let dataDir: string;
  let assignmentId: string;
  let courseId: string;

  beforeAll(async () => {
    h = await createTestDb();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-choices-"));
    ({ courseId } = await seedDatabase(h.db, { demo: true }));
    ({ id: assignmentId } = await findAssignmentInCourse(h.db, courseId, 6));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps grading on the uploaded training set and the chosen split after assignment.yaml changes and the site restarts", async () => {
    const files: Record<string, Buffer> = {};
    for (const [i, c] of CLASSES.entries()) files[`${c}/a.png`] = await png(i * 50);
    const uploaded = await handleDatasetUpload(
      formPost("http://test/instructor/datasets/upload", { role: "train", format: "image-folder", archive: zipFile(await zipOf(files), "mine.zip") }),
      { role: "instructor" },
      h.db,
      { assignmentId, dataDir },
    );
    await setHeldoutSplit(h.db, heldoutSplitInput.parse({ assignmentId, publicFraction: "0.3", splitSeed: "42" }));

    await restartAfterEditingTheYaml(h, assignmentId);

    // The sync did rewrite the file's config: it holds only assignment.yaml's values...
    const [row] = await h.db.select({ config: assignments.config }).from(assignments).where(eq(assignments.id, assignmentId));
    expect(row!.config).toMatchObject({ datasets: { train: { builtin: "shapes" } }, publicFraction: 0.5, splitSeed: 606 });
    // ...and the instructor's choices are still in force wherever the assignment is read.
    const [active] = await h.db.select().from(datasets).where(and(eq(datasets.id, uploaded.id), eq(datasets.active, true)));
    // The config names the upload by its blob key (a path of no machine); the grader host reads it from its store.
    expect(active!.blobKey).toMatch(/^datasets\/[0-9a-f-]{36}\/dataset\.zip$/);
    const expected = { datasets: { train: { format: "image-folder", blob: active!.blobKey } }, publicFraction: 0.3, splitSeed: 42 };
    const { config } = await findAssignmentInCourse(h.db, courseId, 6);
    expect(config).toMatchObject(expected);
    const preview = await previewDataset(config, "train", dataDir);
    expect(preview.classes.map((c) => [c.name, c.count])).toEqual(CLASSES.map((c) => [c, 1]));

    // A submission made after the restart is graded on them.
    const [student] = await h.db.select().from(users).where(eq(users.role, "student"));
    const { submission } = await submitForGrading(
      h.db,
      { assignmentId, userId: student!.id, content: { kind: "spec", spec: smallCnn } },
      { queue: null },
    );
    const { input } = await loadGradeInput(h.db, submission, blobStore(dataDir));
    expect(input.assignment.config).toMatchObject({
      datasets: { train: { format: "image-folder", path: path.join(dataDir, "blobs", active!.blobKey!) } },
      publicFraction: 0.3,
      splitSeed: 42,
    });
  });

  it("keeps working for an upload made before instructor choices had rows of their own (the config patched, the row without a ref)", async () => {
    // The state an older version left: the upload patched assignments.config and its datasets row has no ref.
    const [old] = await h.db.select().from(assignments).where(eq(assignments.id, assignmentId));
    const legacy = { format: "cifar10" as const, path: path.join(dataDir, "legacy-batches"), files: ["my_batch.bin"] };
    await h.db.update(datasets).set({ active: false }).where(eq(datasets.assignmentId, assignmentId));
    await h.db.insert(datasets).values({
      assignmentId, role: "heldout", name: "my_batch.bin", format: "cifar10", blobKey: legacy.path,
      classes: CLASSES, classCounts: [1, 1, 1, 1, 1], exampleCount: 5, publicFraction: 0.25, splitSeed: 9, active: true,
    });
    const patched = { ...(old!.config as Record<string, unknown>), datasets: { ...(old!.config as { datasets: object }).datasets, heldout: legacy } };
    await h.db.update(assignments).set({ config: patched }).where(eq(assignments.id, assignmentId));
    await h.db.execute(sql`DELETE FROM heldout_splits`);

    // The migration's data steps carry the choice over into the new rows.
    const migration = fs.readFileSync(path.join(process.cwd(), "db/migrations/0003_instructor_dataset_choices.sql"), "utf8");
    const dataSteps = migration.split("--> statement-breakpoint").filter((s) => /^\s*(--[^\n]*\n\s*)*(UPDATE|INSERT)/.test(s));
    expect(dataSteps).toHaveLength(2);
    // Run on today's schema, where migration 0010 has since renamed datasets.blob_path to blob_key.
    for (const statement of dataSteps) await h.db.execute(sql.raw(statement.replaceAll('"blob_path"', '"blob_key"')));
    await restartAfterEditingTheYaml(h, assignmentId);

    expect(await effectiveAssignmentConfig(h.db, assignmentId)).toMatchObject({ datasets: { heldout: legacy }, publicFraction: 0.25, splitSeed: 9 });
  });
});
