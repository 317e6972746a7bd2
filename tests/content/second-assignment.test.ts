import { instructorDatasets } from "@/grader/assignment/schema";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { assignments, courses } from "@/db/schema";
import { seedDatabase } from "@/db/seed/seed";
import { syncAssignmentContent } from "@/db/queries/content/sync-assignment";
import { assignmentSlugsOnDisk } from "@/grader/assignment/load-assignment";
import { findAssignmentInCourse } from "@/db/queries/assignments/find-assignment";
import { courseOutline } from "@/db/queries/courses/course-outline";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import { gradeSubmission } from "@/grader/grade";
import { parseSpec } from "@/grader/spec/schema";
import { createTestDb, dbDriverName } from "../helpers/test-db";

const REPO_CONTENT = path.resolve("assignments");

/** A content root holding copies of some of the repository's assignment folders (and whatever else the test writes). */
function contentRootWith(slugs: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tg-content-"));
  for (const slug of slugs) fs.cpSync(path.join(REPO_CONTENT, slug), path.join(root, slug), { recursive: true });
  return root;
}

describe(`a second assignment, added as files only (${dbDriverName})`, () => {
  let h: DbHandle;
  const roots: string[] = [];
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => {
    await h.close();
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  it("is registered by the seed next to Assignment 6, with its own classes, input and datasets", async () => {
    const { courseId } = await seedDatabase(h.db, { demo: true });
    const outline = await courseOutline(h.db, courseId);
    // Assignment 8 (assignments/custom-dataset/, on the students' own datasets) is a third folder, found the same way.
    expect(outline.assignments.map((a) => a.number)).toEqual([6, 7, 8]);
    // Only lesson folders with a lesson.yaml are lessons: digits-7 has none.
    expect(outline.lessons.map((l) => l.number)).toEqual([6]);
    const seven = await findAssignmentInCourse(h.db, courseId, 7);
    expect(seven.title).toBe("Assignment 7: read handwritten digits");
    expect(seven.courseSlug).toBe("cv-fundamentals");
    expect(seven.config.classes).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(seven.config.inputShape).toEqual([28, 28, 1]);
    expect(instructorDatasets(seven.config).train).toMatchObject({ builtin: "mnist", count: 2000, offset: 0 });
    expect(seven.config.gradebook.weights).toEqual({ quiz: 0, assignment: 0.7, report: 0.3 });
    const six = await findAssignmentInCourse(h.db, courseId, 6);
    expect(six.config.classes).toEqual(["circle", "square", "triangle", "cross", "star"]);
  });

  it("finds every folder with an assignment.yaml, and nothing else, in a content root", async () => {
    const root = contentRootWith(["digits-7"]);
    roots.push(root);
    fs.mkdirSync(path.join(root, "notes"));
    fs.writeFileSync(path.join(root, "notes", "README.md"), "not an assignment");
    expect(await assignmentSlugsOnDisk(root)).toEqual(["digits-7"]);
    expect(await assignmentSlugsOnDisk(REPO_CONTENT)).toEqual(expect.arrayContaining(["digits-7", "lesson-6"]));
  });

  it("registers an assignment copied into a fresh content root, and a change to its file on the next sync", async () => {
    const root = contentRootWith(["digits-7"]);
    roots.push(root);
    const [course] = await h.db.insert(courses).values({ slug: "digits-only", title: "Digits", joinCode: "DIGITS77" }).returning();
    await syncAssignmentContent(h.db, course!.id, root);
    const first = await findAssignmentInCourse(h.db, course!.id, 7);
    expect(first.config.budget.maxParams).toBe(100000);

    const file = path.join(root, "digits-7", "assignment.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("maxParams: 100000", "maxParams: 50000"));
    await syncAssignmentContent(h.db, course!.id, root);
    expect((await findAssignmentInCourse(h.db, course!.id, 7)).config.budget.maxParams).toBe(50000);
    expect(await h.db.select().from(assignments).where(eq(assignments.courseId, course!.id))).toHaveLength(1);
  });

  it("refuses two folders that claim the same number, naming both, and registers neither", async () => {
    const root = contentRootWith(["digits-7"]);
    roots.push(root);
    fs.cpSync(path.join(root, "digits-7"), path.join(root, "digits-7b"), { recursive: true });
    const copy = path.join(root, "digits-7b", "assignment.yaml");
    fs.writeFileSync(copy, fs.readFileSync(copy, "utf8").replace("slug: digits-7", "slug: digits-7b"));
    const [course] = await h.db.insert(courses).values({ slug: "clash", title: "Clash", joinCode: "CLASH777" }).returning();
    await expect(syncAssignmentContent(h.db, course!.id, root)).rejects.toThrow(
      /assignments\/digits-7b\/assignment\.yaml: number 7 is already Assignment 7 in assignments\/digits-7\//,
    );
    expect(await h.db.select().from(assignments).where(eq(assignments.courseId, course!.id))).toHaveLength(0);
  });

  it("grades its reference spec on the MNIST digits well above chance", { timeout: 180_000 }, async () => {
    const assignment = await loadAssignment("digits-7");
    const spec = parseSpec(fs.readFileSync(path.join(assignment.dir!, assignment.referenceSpecs[0]!), "utf8"));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-digits-"));
    roots.push(dataDir);
    const report = await gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed: 7, dataDir });
    expect(report.status).toBe("succeeded");
    expect(report.metrics!.all.confusionMatrix).toHaveLength(10);
    // Ten classes: chance is 0.1. Three epochs of the small CNN on 2,000 digits reach far more.
    expect(report.metrics!.all.accuracy).toBeGreaterThan(0.6);
    expect(report.score!.all.score).toBeGreaterThan(50);
  });
});
