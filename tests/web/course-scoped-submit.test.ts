import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { courses, enrollments, submissions } from "@/db/schema";
import { handleCreateCourseSubmission, handleCreateSubmission } from "@/app/api/assignments/[number]/submissions/handle-create-submission";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinySpec } from "../queue/fixtures/builders";
import { enrolStudent, failure, formPost } from "./fixtures";

const specForm = (url: string) => formPost(url, { mode: "spec", spec: JSON.stringify(tinySpec()) });

/**
 * Two courses that both have an assignment 6: the course-scoped route submits to the course in its path, and the
 * older /api/assignments/6/submissions address still works (its ?course=, else the student's own course).
 */
describe(`POST /api/courses/:slug/assignments/:number/submissions and its old alias on ${dbDriverName}`, () => {
  let h: DbHandle;
  let dataDir: string;
  let a: { slug: string; courseId: string; assignmentId: string };
  let b: { slug: string; courseId: string; assignmentId: string };
  let both: { id: string; role: "student" };
  let onlyB: { id: string; role: "student" };

  const slugOf = async (courseId: string) => (await h.db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, courseId)))[0]!.slug;
  const assignmentOf = async (id: string) => (await h.db.select({ assignmentId: submissions.assignmentId }).from(submissions).where(eq(submissions.id, id)))[0]!.assignmentId;
  const deps = () => ({ queue: null, dataDir });

  beforeAll(async () => {
    h = await createTestDb();
    const sa = await seedAssignment(h.db);
    const sb = await seedAssignment(h.db);
    a = { ...sa, slug: await slugOf(sa.courseId) };
    b = { ...sb, slug: await slugOf(sb.courseId) };
    const s1 = await seedUser(h.db);
    const s2 = await seedUser(h.db);
    await enrolStudent(h.db, a.courseId, s1.id);
    await enrolStudent(h.db, b.courseId, s1.id);
    await enrolStudent(h.db, b.courseId, s2.id);
    both = { id: s1.id, role: "student" };
    onlyB = { id: s2.id, role: "student" };
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-course-submit-"));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("files the submission under the assignment of the course in the path, whichever other course has the same number", async () => {
    for (const course of [a, b]) {
      const url = `http://test/api/courses/${course.slug}/assignments/6/submissions`;
      const created = await handleCreateCourseSubmission(specForm(url), both, { courseSlug: course.slug, number: "6" }, h.db, deps());
      expect(created.replayed).toBe(false);
      expect(await assignmentOf(created.id)).toBe(course.assignmentId);
    }
  });

  it("answers 404 for an unknown course, an assignment the course lacks, or a number that is not one", async () => {
    const post = (slug: string, number: string) =>
      failure(handleCreateCourseSubmission(specForm(`http://test/api/courses/${slug}/assignments/${number}/submissions`), both, { courseSlug: slug, number }, h.db, deps()));
    expect((await post("no-such-course", "6")).status).toBe(404);
    expect((await post(a.slug, "7")).status).toBe(404);
    expect((await post(a.slug, "six")).status).toBe(404);
  });

  it("refuses a student who is not in that course with a 403 and stores nothing", async () => {
    const before = await h.db.select().from(submissions).where(eq(submissions.userId, onlyB.id));
    const err = await failure(
      handleCreateCourseSubmission(specForm(`http://test/api/courses/${a.slug}/assignments/6/submissions`), onlyB, { courseSlug: a.slug, number: "6" }, h.db, deps()),
    );
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/Join the course/);
    expect(await h.db.select().from(submissions).where(eq(submissions.userId, onlyB.id))).toHaveLength(before.length);
  });

  it("refuses an instructor of another course with a 403 and stores nothing, and lets the course's own instructor submit", async () => {
    const teacherOfB = await seedUser(h.db, "instructor");
    await h.db.insert(enrollments).values({ courseId: b.courseId, userId: teacherOfB.id, role: "instructor" });
    const who = { id: teacherOfB.id, role: "instructor" as const };
    const post = (course: { slug: string }) =>
      handleCreateCourseSubmission(specForm(`http://test/api/courses/${course.slug}/assignments/6/submissions`), who, { courseSlug: course.slug, number: "6" }, h.db, deps());
    const err = await failure(post(a));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/do not teach this course/);
    expect(await h.db.select().from(submissions).where(eq(submissions.userId, teacherOfB.id))).toHaveLength(0);
    const own = await post(b);
    expect(await assignmentOf(own.id)).toBe(b.assignmentId);
  });

  it("keeps the old address working: ?course= picks the course, and without it the student's own course", async () => {
    const withCourse = await handleCreateSubmission(specForm(`http://test/api/assignments/6/submissions?course=${a.slug}`), both, "6", h.db, deps());
    expect(await assignmentOf(withCourse.id)).toBe(a.assignmentId);
    const own = await handleCreateSubmission(specForm("http://test/api/assignments/6/submissions"), onlyB, "6", h.db, deps());
    expect(await assignmentOf(own.id)).toBe(b.assignmentId);
    const missing = await failure(handleCreateSubmission(specForm("http://test/api/assignments/9/submissions"), onlyB, "9", h.db, deps()));
    expect(missing.status).toBe(404);
  });
});
