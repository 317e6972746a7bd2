import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db";
import { countedSubmissions, courses, studentDatasets, submissions } from "@/db/schema";
import { handlePracticeRun } from "@/app/api/courses/[slug]/datasets/[datasetId]/practice-runs/handle-practice-run";
import { handleCreateCourseSubmission } from "@/app/api/assignments/[number]/submissions/handle-create-submission";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { datasetRuns } from "@/db/queries/practice-runs/dataset-runs";
import { listSubmissions } from "@/db/queries/submissions/list-submissions";
import { getSubmissionDetail } from "@/db/queries/submissions/submission-detail";
import { NotFoundError } from "@/lib/errors";
import { submissionsLeftToday } from "@/db/queries/submissions/submissions-left-today";
import { getLeaderboard } from "@/domain/grading/leaderboard";
import { studentGradebookRow } from "@/domain/grading/gradebook";
import { overrideScore } from "@/domain/grading/override-score";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { inspectOwnDataset } from "@/grader/data/own-dataset-quality";
import { generateShapes } from "@/grader/data/shapes";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { enrolStudent, failure, formPost, recordReport, reportWithScores } from "./fixtures";

/** The assignment's own data: 16×16 colour input, three classes. */
const threeWay = (name = "graded cnn") => ({ ...fourWay(name), layers: [...fourWay().layers.slice(0, 3), { type: "dense", units: 3, activation: "softmax" }] });

/** A spec for the dataset below: 24×24 colour input, four classes. */
const fourWay = (name = "practice cnn") => ({
  kind: "cnn", name,
  layers: [
    { type: "conv2d", filters: 4, kernelSize: 3, activation: "relu" },
    { type: "maxPooling2d", poolSize: 2 },
    { type: "flatten" },
    { type: "dense", units: 4, activation: "softmax" },
  ],
  training: { optimizer: "adam", learningRate: 0.01, epochs: 1, batchSize: 16 },
});

/** The split and quality documents of a real upload: a generated zip of four shapes, 10 each, at 24 px. */
async function inspectedUpload(dir: string): Promise<{ split: unknown; quality: unknown; classes: string[] }> {
  const zip = path.join(dir, "four.zip");
  const shapes = generateShapes({ count: 40, seed: 3, classes: ["ring", "hexagon", "bar", "crescent"], shape: [24, 24, 3] });
  await exportImageFolderZip(shapes, { perClass: 10, seed: 1 }, zip);
  const inspected = await inspectOwnDataset(zip, [24, 24, 3], { seed: 5 });
  return { split: inspected.split, quality: inspected.quality, classes: inspected.dataset.classes };
}

/**
 * Practice runs on a student's own dataset through POST /api/courses/:slug/datasets/:id/practice-runs: only the
 * dataset's owner may start one (404 for everyone else), the spec must fit the dataset (its four classes, 24 px),
 * practice runs have their own daily quota and leave the graded quota alone, and they never reach the leaderboard,
 * the gradebook, the submission that counts or the student's graded history.
 */
describe(`practice runs on ${dbDriverName}`, () => {
  let h: DbHandle;
  let dataDir: string;
  let slug: string;
  let courseId: string;
  let assignmentId: string;
  let owner: { id: string; role: "student" };
  let classmate: { id: string; role: "student" };
  let instructor: { id: string; role: "instructor" };
  let datasetId: string;
  let classmateDatasetId: string;

  const deps = () => ({ queue: null, dataDir });
  const url = (id: string) => `http://test/api/courses/${slug}/datasets/${id}/practice-runs`;
  const start = (who: { id: string }, id: string, fields: Record<string, string>) =>
    handlePracticeRun(formPost(url(id), fields), who, { courseSlug: slug, datasetId: id }, h.db, deps());
  const specFields = (spec: unknown = fourWay(), key?: string) => ({ mode: "spec", spec: JSON.stringify(spec), ...(key ? { idempotencyKey: key } : {}) });
  const practiceRows = (userId: string) =>
    h.db.select().from(submissions).where(and(eq(submissions.userId, userId), eq(submissions.purpose, "practice")));
  let upload: Awaited<ReturnType<typeof inspectedUpload>>;
  const insertDataset = async (userId: string, name: string) => {
    const [row] = await h.db.insert(studentDatasets).values({
      courseId, assignmentId, userId, name, blobKey: `datasets/${crypto.randomUUID()}/data.zip`, inputSize: 24, channels: 3,
      classes: upload.classes, classCounts: [10, 10, 10, 10], imageCount: 40, splitSeed: 5, split: upload.split, quality: upload.quality,
    }).returning();
    return row!.id;
  };

  beforeAll(async () => {
    h = await createTestDb();
    // Two practice runs a day, two graded submissions a day, two waiting at once.
    const config = tinyAssignmentConfig({ limits: { dailySubmissions: 2, maxQueuedPerStudent: 2, dailyRejectedSubmissions: 30 } });
    const seeded = await seedAssignment(h.db, { ...config, ownDatasets: { dailyPracticeRuns: 2 } } as typeof config);
    ({ courseId, assignmentId } = seeded);
    slug = (await h.db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, courseId)))[0]!.slug;
    const s1 = await seedUser(h.db);
    const s2 = await seedUser(h.db);
    const prof = await seedUser(h.db, "instructor");
    await enrolStudent(h.db, courseId, s1.id);
    await enrolStudent(h.db, courseId, s2.id);
    owner = { id: s1.id, role: "student" };
    classmate = { id: s2.id, role: "student" };
    instructor = { id: prof.id, role: "instructor" };
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-practice-"));
    upload = await inspectedUpload(dataDir);
    datasetId = await insertDataset(owner.id, "my shapes");
    classmateDatasetId = await insertDataset(classmate.id, "their shapes");
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("is a 404 for another student's dataset, for an instructor, and for an unknown id, and stores nothing", async () => {
    for (const [who, id] of [[classmate, datasetId], [owner, classmateDatasetId], [instructor, datasetId], [owner, crypto.randomUUID()]] as const) {
      const err = await failure(start(who, id, specFields()));
      expect(err.status).toBe(404);
    }
    expect(await practiceRows(owner.id)).toHaveLength(0);
    expect(await practiceRows(classmate.id)).toHaveLength(0);
    expect(await practiceRows(instructor.id)).toHaveLength(0);
  });

  it("checks the spec against the dataset: its four classes and 24 px input, not the assignment's three at 16 px", async () => {
    const err = await failure(start(owner, datasetId, specFields(threeWay())));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/4/);
    // A refused spec is kept (as a refused practice run), uses no quota and is not queued.
    const rows = await practiceRows(owner.id);
    expect(rows.map((r) => r.status)).toEqual(["rejected"]);
    expect(rows[0]!.studentDatasetId).toBe(datasetId);
  });

  it("queues a practice run on the dataset; the same form sent twice is one run", async () => {
    const key = crypto.randomUUID();
    const first = await start(owner, datasetId, specFields(fourWay(), key));
    const again = await start(owner, datasetId, specFields(fourWay(), key));
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ id: first.id, replayed: true });
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, first.id));
    expect(row).toMatchObject({ purpose: "practice", studentDatasetId: datasetId, status: "queued", userId: owner.id });
    // Its report page is the owner's: another student gets the same 404 as for an unknown id.
    expect((await getSubmissionDetail(h.db, owner, first.id)).submission.purpose).toBe("practice");
    await expect(getSubmissionDetail(h.db, classmate, first.id)).rejects.toBeInstanceOf(NotFoundError);
    // The key cannot be replayed as a graded submission.
    const graded = await failure(handleCreateCourseSubmission(
      formPost(`http://test/api/courses/${slug}/assignments/6/submissions`, { mode: "spec", spec: JSON.stringify(threeWay()), idempotencyKey: key }),
      owner, { courseSlug: slug, number: "6" }, h.db, deps(),
    ));
    expect(graded.status).toBe(409);
  });

  it("has its own daily quota: the third practice run of the day is a 429, and the graded quota is untouched", async () => {
    const graded = (n: number) => submissionsLeftToday(h.db, { assignmentId, userId: owner.id, dailyLimit: 2, purpose: n === 0 ? "graded" : "practice" });
    expect(await graded(0)).toBe(2);
    // Let the first run finish, so the queued cap (2) does not stop the second.
    await h.db.update(submissions).set({ status: "succeeded" }).where(and(eq(submissions.userId, owner.id), eq(submissions.purpose, "practice"), eq(submissions.status, "queued")));
    await start(owner, datasetId, specFields(fourWay("second")));
    await h.db.update(submissions).set({ status: "succeeded" }).where(and(eq(submissions.userId, owner.id), eq(submissions.purpose, "practice"), eq(submissions.status, "queued")));
    const third = await failure(start(owner, datasetId, specFields(fourWay("third"))));
    expect(third.status).toBe(429);
    expect(third.message).toMatch(/practice run/);
    expect(await graded(1)).toBe(0);
    // Graded submissions still have all of theirs.
    expect(await graded(0)).toBe(2);
    const created = await handleCreateCourseSubmission(
      formPost(`http://test/api/courses/${slug}/assignments/6/submissions`, {
        mode: "spec",
        spec: JSON.stringify(threeWay()),
      }),
      owner, { courseSlug: slug, number: "6" }, h.db, deps(),
    );
    expect(created.replayed).toBe(false);
    expect(await graded(0)).toBe(1);
  });

  it("never counts: a practice run scoring 99 is on no leaderboard, gradebook, counted row or graded history", async () => {
    const [practice] = await h.db.select().from(submissions)
      .where(and(eq(submissions.userId, owner.id), eq(submissions.purpose, "practice"), eq(submissions.status, "succeeded")));
    await recordReport(h.db, practice!.id, 1, reportWithScores(99, 99));
    const counted = await h.db.select().from(countedSubmissions).where(eq(countedSubmissions.userId, owner.id));
    expect(counted).toHaveLength(0);
    const assignment = await findAssignmentById(h.db, assignmentId);
    const board = await getLeaderboard(h.db, assignment, instructor);
    expect(board.entries).toHaveLength(0);
    expect(board.total).toBe(0);
    // An instructor cannot give it a score either: an override of an ungraded run is refused.
    const override = await failure(overrideScore(h.db, { submissionId: practice!.id, score: 100, reason: "trying to count it" }, instructor.id));
    expect(override.status).toBe(409);
    expect(await h.db.select().from(countedSubmissions).where(eq(countedSubmissions.userId, owner.id))).toHaveLength(0);
    const gradebookRow = await studentGradebookRow(h.db, assignment, owner.id);
    expect(gradebookRow?.assignment ?? null).toBeNull();
    // The student's history on the assignment page lists graded submissions only.
    const history = await listSubmissions(h.db, assignmentId, { userId: owner.id });
    expect(history.rows.every((r) => r.purpose === "graded")).toBe(true);
    expect(history.rows.map((r) => r.id)).not.toContain(practice!.id);
    // The instructor sees them when asking for practice runs, marked as such.
    const list = await listSubmissions(h.db, assignmentId, { filters: { purpose: "practice" } });
    expect(list.rows.map((r) => r.id)).toContain(practice!.id);
    expect(list.rows.every((r) => r.purpose === "practice")).toBe(true);
    // And the dataset page lists it with its test-split macro-F1.
    const runs = await datasetRuns(h.db, { studentDatasetId: datasetId, userId: owner.id });
    expect(runs.find((r) => r.id === practice!.id)?.macroF1).toBeCloseTo(reportWithScores(99, 99).metrics!.all.macro.f1, 5);
    expect(await datasetRuns(h.db, { studentDatasetId: datasetId, userId: classmate.id })).toEqual([]);
  });
});
