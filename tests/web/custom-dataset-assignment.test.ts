import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db";
import { assignments as assignmentsTable, countedSubmissions, courses, reports, submissions } from "@/db/schema";
import { handleCreateCourseSubmission } from "@/app/api/assignments/[number]/submissions/handle-create-submission";
import { insertOwnDataset } from "@/db/queries/own-datasets/insert-own-dataset";
import { claimSubmission } from "@/db/queries/submissions/claim-submission";
import { submissionsLeftToday } from "@/db/queries/submissions/submissions-left-today";
import { completeGrading } from "@/domain/grading/complete-grading";
import { datasetScoreState } from "@/domain/grading/dataset-score-state";
import { gradedDatasetChoices } from "@/domain/grading/graded-dataset";
import { getGradebook } from "@/domain/grading/gradebook";
import { gradebookCsv } from "@/domain/grading/gradebook-csv";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { inspectOwnDataset } from "@/grader/data/own-dataset-quality";
import { generateShapes } from "@/grader/data/shapes";
import { gradingReportSchema, type GradingReport } from "@/grader/report/schema";
import { newBlobKey } from "@/lib/blobs/blob-key";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { fakeReport, seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { enrolStudent, failure, formPost, splitMetrics } from "./fixtures";

/**
 * Assignment 6 on a student's own dataset (`datasets: student`, assignments/custom-dataset/): a graded submission
 * names one of the student's datasets (theirs only, this assignment's), the platform queues its baseline once per
 * dataset, and the score is the improvement over that baseline, computed when both reports exist. The grader's
 * training is tested elsewhere (tests/grader/own-dataset-run.test.ts); here each run ends with a report of chosen
 * figures, handed to the same completeGrading the worker calls.
 */
describe(`Assignment 6 on your own dataset on ${dbDriverName}: dataset choice, one baseline per dataset, the improvement score`, () => {
  let h: DbHandle;
  let dataDir: string;
  let config: AssignmentConfig;
  let slug: string;
  let courseId: string;
  let assignmentId: string;
  let otherAssignmentId: string;
  let alice: { id: string; role: "student" };
  let bob: { id: string; role: "student" };
  let aliceData: string;
  let aliceSecond: string;
  let bobData: string;
  let aliceOnOther: string;
  let split: Awaited<ReturnType<typeof inspectOwnDataset>>["split"];
  let quality: Awaited<ReturnType<typeof inspectOwnDataset>>["quality"];
  let classes: string[];

  const deps = () => ({ queue: null, dataDir });
  /** The lesson's CNN with one output per class of the dataset: it fits the assignment's budget at 32 px. */
  const spec = (units = 3) => JSON.stringify({
    kind: "cnn", name: "mine",
    layers: [
      { type: "conv2d", filters: 8, kernelSize: 3, activation: "relu" }, { type: "maxPooling2d", poolSize: 2 },
      { type: "flatten" }, { type: "dense", units, activation: "softmax" },
    ],
    training: { epochs: 2, batchSize: 32, learningRate: 0.01 },
  });
  const submit = (user: { id: string; role: "student" }, fields: Record<string, string>, number = String(config.number)) =>
    handleCreateCourseSubmission(
      formPost(`http://test/api/courses/${slug}/assignments/${number}/submissions`, { mode: "spec", spec: spec(), ...fields }),
      user, { courseSlug: slug, number }, h.db, deps(),
    );
  const baselines = (datasetId: string) =>
    h.db.select().from(submissions).where(and(eq(submissions.studentDatasetId, datasetId), eq(submissions.purpose, "baseline")));
  /** A report whose test-part figures (public = private = all on an own dataset) have this macro-F1; no score of its own. */
  const reportWith = (macroF1: number): GradingReport => {
    const m = splitMetrics(macroF1, 30);
    return { ...fakeReport(), metrics: { public: m, private: m, all: m }, score: null };
  };
  /** What the worker does when a run ends: claim, then completeGrading with the run's report. */
  const finish = async (submissionId: string, report: GradingReport) => {
    expect(await claimSubmission(h.db, submissionId, "test-worker")).not.toBeNull();
    expect(await completeGrading(h.db, { id: submissionId, run: 1 }, "test-worker", report)).toBe(true);
  };
  const reportOf = async (submissionId: string) => {
    const [row] = await h.db.select().from(reports).where(eq(reports.submissionId, submissionId));
    return { ...row!, report: gradingReportSchema.parse(row!.report) };
  };
  const counted = async (userId: string) =>
    (await h.db.select().from(countedSubmissions).where(and(eq(countedSubmissions.assignmentId, assignmentId), eq(countedSubmissions.userId, userId))))[0] ?? null;

  beforeAll(async () => {
    h = await createTestDb();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-custom-dataset-"));
    const { dir: _dir, ...file } = await loadAssignment("custom-dataset");
    config = file as AssignmentConfig;
    ({ courseId, assignmentId } = await seedAssignment(h.db, config));
    [{ slug }] = await h.db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, courseId));
    // An instructor-dataset assignment of the same course.
    const { assignments } = await import("@/db/schema");
    [{ id: otherAssignmentId }] = await h.db.insert(assignments).values({
      courseId, slug: "tiny-other", number: 3, title: "Other", config: tinyAssignmentConfig({ slug: "tiny-other", number: 3 }), contentHash: "test",
    }).returning({ id: assignments.id });

    // A real stored split: three generated shape classes, exported as a class-folder zip and inspected as at upload.
    const shapes = generateShapes({ count: 60, seed: 5, classes: ["ring", "hexagon", "bar"], shape: [32, 32, 3] });
    const zip = path.join(dataDir, "mine.zip");
    await exportImageFolderZip({ ...shapes }, { perClass: 20, seed: 3 }, zip);
    const inspected = await inspectOwnDataset(zip, [32, 32, 3], { seed: 9 });
    ({ split, quality } = inspected);
    classes = inspected.dataset.classes;

    const a = await seedUser(h.db);
    const b = await seedUser(h.db);
    alice = { id: a.id, role: "student" };
    bob = { id: b.id, role: "student" };
    await enrolStudent(h.db, courseId, a.id);
    await enrolStudent(h.db, courseId, b.id);
    const dataset = (userId: string, name: string, forAssignment = assignmentId) => insertOwnDataset(h.db, {
      courseId, assignmentId: forAssignment, userId, name, blobKey: newBlobKey("datasets", "data.zip"), thumbnailsKey: null,
      inputSize: 32, channels: 3, classes, classCounts: [20, 20, 20], split, quality,
    });
    aliceData = await dataset(a.id, "alice shapes");
    aliceSecond = await dataset(a.id, "alice second");
    bobData = await dataset(b.id, "bob shapes");
    aliceOnOther = await dataset(a.id, "alice for the other", otherAssignmentId);
  }, 120_000);
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("offers a student only their own datasets for this assignment", async () => {
    const view = { id: assignmentId, courseId, number: config.number, config };
    expect((await gradedDatasetChoices(h.db, view, alice.id)).map((d) => d.name).sort()).toEqual(["alice second", "alice shapes"]);
    expect((await gradedDatasetChoices(h.db, view, bob.id)).map((d) => d.name)).toEqual(["bob shapes"]);
    // An instructor-dataset assignment offers none.
    expect(await gradedDatasetChoices(h.db, { ...view, config: tinyAssignmentConfig() }, alice.id)).toEqual([]);
  });

  it("refuses another student's dataset (404), a missing or foreign one (422), and stores nothing", async () => {
    const before = (await h.db.select().from(submissions)).length;
    expect((await failure(submit(bob, { studentDatasetId: aliceData }))).status).toBe(404);
    expect((await failure(submit(alice, { studentDatasetId: bobData }))).status).toBe(404);
    expect((await failure(submit(bob, { studentDatasetId: crypto.randomUUID() }))).status).toBe(404);
    expect((await failure(submit(bob, { studentDatasetId: "../etc" }))).status).toBe(404);
    const missing = await failure(submit(bob, {}));
    expect(missing.status).toBe(422);
    expect(missing.message).toMatch(/Choose which of your datasets/);
    const other = await failure(submit(alice, { studentDatasetId: aliceOnOther }));
    expect(other.status).toBe(422);
    expect(other.message).toMatch(/uploaded for Assignment 3/);
    // The instructor's-data assignment takes no dataset at all.
    const extra = await failure(submit(alice, { studentDatasetId: aliceData }, "3"));
    expect(extra.status).toBe(422);
    expect(extra.message).toMatch(/takes no dataset of your own/);
    expect((await h.db.select().from(submissions)).length).toBe(before);
    // The spec is checked against the dataset's three classes, not the file's placeholder two.
    const wrong = await failure(handleCreateCourseSubmission(
      formPost(`http://test/api/courses/${slug}/assignments/${config.number}/submissions`, { mode: "spec", spec: spec(2), studentDatasetId: aliceData }),
      alice, { courseSlug: slug, number: String(config.number) }, h.db, deps(),
    ));
    expect(wrong.status).toBe(422);
    expect(wrong.message).toMatch(/3/);
    expect(await baselines(aliceData)).toHaveLength(0);
  });

  it("trains the baseline once per dataset: two graded submissions, one baseline row, none of the quota", async () => {
    const first = await submit(alice, { studentDatasetId: aliceData });
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, first.id));
    expect(row).toMatchObject({ purpose: "graded", studentDatasetId: aliceData, status: "queued" });
    const [baseline] = await baselines(aliceData);
    expect(baseline).toMatchObject({ userId: alice.id, kind: "cnn", status: "queued", countsTowardQuota: false });
    // The lesson's CNN from specs/simple-cnn.yaml, its softmax sized to the dataset's three classes.
    const layers = (baseline!.spec as { layers: { type: string; units?: number }[]; name: string }).layers;
    expect(layers.at(-1)).toMatchObject({ type: "dense", units: 3 });
    expect(layers.filter((l) => l.type === "conv2d")).toHaveLength(3);
    expect((baseline!.spec as { name: string }).name).toMatch(/^Platform baseline/);

    // A second graded submission on the same dataset reuses it; another dataset gets its own.
    const second = await submit(alice, { studentDatasetId: aliceData });
    expect(second.id).not.toBe(first.id);
    expect(await baselines(aliceData)).toHaveLength(1);
    // The baseline used none of Alice's daily submissions: two graded ones did.
    expect(await submissionsLeftToday(h.db, { assignmentId, userId: alice.id, dailyLimit: config.limits.dailySubmissions })).toBe(config.limits.dailySubmissions - 2);
  });

  it("waits for the baseline: a graded report finished first has no score, and the page says why", async () => {
    const graded = (await h.db.select().from(submissions).where(and(eq(submissions.studentDatasetId, aliceData), eq(submissions.purpose, "graded"))))
      .filter((x) => x.status !== "rejected") // the refused two-class spec above is kept in the history
      .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
    await finish(graded[0]!.id, reportWith(0.7));
    const r = await reportOf(graded[0]!.id);
    expect(r.publicScore).toBeNull();
    expect(r.score).toBeNull();
    expect(r.report.score).toBeNull();
    expect(await counted(alice.id)).toBeNull();
    const [sub] = await h.db.select().from(submissions).where(eq(submissions.id, graded[0]!.id));
    const state = await datasetScoreState(h.db, sub!, { courseId, config }, false);
    expect(state).toMatchObject({ datasetName: "alice shapes", waitingForBaseline: true, hadTestImages: false, baseline: { status: "queued", value: null } });
  });

  it("scores every waiting report when the baseline finishes: score = f(student − baseline), then counts the best", async () => {
    const graded = (await h.db.select().from(submissions).where(and(eq(submissions.studentDatasetId, aliceData), eq(submissions.purpose, "graded"))))
      .filter((x) => x.status !== "rejected") // the refused two-class spec above is kept in the history
      .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
    const [baseline] = await baselines(aliceData);
    await finish(baseline!.id, reportWith(0.6));
    // 0.7 − 0.6 = +0.10: (0.10 + 0.05) / (0.15 + 0.05) → 75 points.
    const first = await reportOf(graded[0]!.id);
    expect(first.publicScore).toBeCloseTo(75, 6);
    expect(first.privateScore).toBeCloseTo(75, 6);
    expect(first.score).toBeCloseTo(75, 6);
    expect(first.report.score!.all.improvement).toMatchObject({ baselineSubmissionId: baseline!.id, zeroAt: -0.05, fullMarksAt: 0.15 });
    expect(first.report.score!.all.improvement!.baselineValue).toBeCloseTo(0.6, 6);
    expect(await counted(alice.id)).toMatchObject({ submissionId: graded[0]!.id, source: "report" });
    expect((await counted(alice.id))!.publicScore).toBeCloseTo(75, 6);
    // The baseline itself never counts for the student.
    expect((await reportOf(baseline!.id)).publicScore).toBeNull();

    // The second graded run finishes after the baseline: scored at once. 0.6 matches it: 25 points, not the best.
    await finish(graded[1]!.id, reportWith(0.6));
    expect((await reportOf(graded[1]!.id)).publicScore).toBeCloseTo(25, 6);
    expect((await counted(alice.id))!.submissionId).toBe(graded[0]!.id);
    const [sub] = await h.db.select().from(submissions).where(eq(submissions.id, graded[1]!.id));
    const state = await datasetScoreState(h.db, sub!, { courseId, config }, true);
    expect(state).toMatchObject({ waitingForBaseline: false, baseline: { status: "succeeded" } });
    expect(state!.baseline!.value).toBeCloseTo(0.6, 6);
    // Still one baseline on the dataset after everything.
    expect(await baselines(aliceData)).toHaveLength(1);
  });

  it("shows both parts in the gradebook and its CSV: the metric part with the student's metric and the baseline's, and the rubric part", async () => {
    const [row] = await h.db.select().from(assignmentsTable).where(eq(assignmentsTable.id, assignmentId));
    const view = { id: assignmentId, courseId, number: config.number, dueAt: row!.dueAt ?? new Date("2027-02-28T23:59:00Z"), config };
    const book = await getGradebook(h.db, view, new Date("2027-01-01T00:00:00Z"));
    const a = book.rows.find((r) => r.userId === alice.id)!;
    expect(a.assignment).toBeCloseTo(75, 6);
    expect(a.metricPart).toMatchObject({ metric: "macroF1" });
    expect(a.metricPart!.student).toBeCloseTo(0.7, 6);
    expect(a.metricPart!.baseline).toBeCloseTo(0.6, 6);
    expect(a.metricPart!.improvement).toBeCloseTo(0.1, 6);
    expect(a.report).toBeNull(); // the rubric part: not graded yet
    // Bob has nothing scored.
    expect(book.rows.find((r) => r.userId === bob.id)).toMatchObject({ assignment: null, metricPart: null });
    const csv = gradebookCsv(book).split(/\r?\n/);
    expect(csv[0]).toBe("name,email,quiz,assignment,assignment_source,report,final,metric,student_metric,baseline_metric,improvement");
    expect(csv.find((l) => l.includes(a.email))).toMatch(/,75,public,,37\.5,macroF1,0\.7,0\.6,0\.1$/);
  });

  it("says plainly that an uploaded model's owner had the test images", async () => {
    const state = await datasetScoreState(h.db, { purpose: "graded", studentDatasetId: aliceSecond, kind: "model", status: "queued" }, { courseId, config }, false);
    expect(state).toMatchObject({ hadTestImages: true, baseline: null, waitingForBaseline: false });
  });
});
