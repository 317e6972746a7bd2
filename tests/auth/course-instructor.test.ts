import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { DbHandle } from "@/db";
import { enrollments, submissions } from "@/db/schema";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";

// Who is asking, and which database: set per test (no Next request here).
const current = vi.hoisted(() => ({ user: null as null | { id: string; email: string; name: string; role: "student" | "instructor" }, db: null as unknown }));
vi.mock("@/app/_lib/auth/session", () => ({ getCurrentUser: async () => current.user }));
vi.mock("@/db", async (original) => ({ ...(await original<typeof import("@/db")>()), getDb: async () => current.db }));

const { defineAction } = await import("@/app/_lib/auth/action");
const { assertTeaches, assignmentTaughtBy, courseViewer } = await import("@/app/_lib/auth/course-access");
const { getSubmissionDetail } = await import("@/db/queries/submissions/submission-detail");
const { errorResponse } = await import("@/app/_lib/http/route");
const { listMyCourses } = await import("@/db/queries/courses/my-courses");
const { courseSlugWith } = await import("@/db/queries/courses/course-with-number");
const { courses } = await import("@/db/schema");
const { eq } = await import("drizzle-orm");

describe(`being an instructor is per course (${dbDriverName})`, () => {
  let h: DbHandle;
  let a: { courseId: string; assignmentId: string; slug: string };
  let b: { courseId: string; assignmentId: string; slug: string };
  let teachesA: { id: string; email: string; name: string; role: "instructor" };
  let teachesB: { id: string; email: string; name: string; role: "instructor" };
  let submissionInA: string;

  beforeAll(async () => {
    h = await createTestDb();
    current.db = h.db;
    const slugOf = async (courseId: string) => (await h.db.select().from(courses).where(eq(courses.id, courseId)))[0]!.slug;
    const sa = await seedAssignment(h.db, tinyAssignmentConfig({ number: 6 }));
    const sb = await seedAssignment(h.db, tinyAssignmentConfig({ number: 6 }));
    a = { ...sa, slug: await slugOf(sa.courseId) };
    b = { ...sb, slug: await slugOf(sb.courseId) };
    const ia = await seedUser(h.db, "instructor");
    const ib = await seedUser(h.db, "instructor");
    teachesA = { id: ia.id, email: ia.email, name: ia.name, role: "instructor" };
    teachesB = { id: ib.id, email: ib.email, name: ib.name, role: "instructor" };
    await h.db.insert(enrollments).values([
      { courseId: a.courseId, userId: ia.id, role: "instructor" },
      { courseId: b.courseId, userId: ib.id, role: "instructor" },
    ]);
    const student = await seedUser(h.db);
    await h.db.insert(enrollments).values({ courseId: a.courseId, userId: student.id, role: "student" });
    const [row] = await h.db
      .insert(submissions)
      .values({ assignmentId: a.assignmentId, userId: student.id, kind: "cnn", spec: {}, seed: 1, status: "succeeded" })
      .returning();
    submissionInA = row!.id;
  });
  afterAll(async () => h.close());

  const regradeLike = defineAction(
    { role: "instructor", input: z.object({ submissionId: z.string().uuid() }), course: (i) => ({ submissionId: i.submissionId }) },
    async () => "done",
  );
  const splitLike = defineAction(
    { role: "instructor", input: z.object({ assignmentId: z.string().uuid() }), course: (i) => ({ assignmentId: i.assignmentId }) },
    async () => "done",
  );

  it("lets a course's instructor act on its submissions and assignments", async () => {
    current.user = teachesA;
    expect(await regradeLike({ submissionId: submissionInA })).toEqual({ ok: true, data: "done" });
    expect(await splitLike({ assignmentId: a.assignmentId })).toEqual({ ok: true, data: "done" });
  });

  it("refuses an instructor of another course with a 403, and says why", async () => {
    current.user = teachesB;
    for (const result of [await regradeLike({ submissionId: submissionInA }), await splitLike({ assignmentId: a.assignmentId })]) {
      expect(result).toEqual({ ok: false, status: 403, error: "Only the instructors of this course can do this." });
    }
    // An id that exists nowhere is refused the same way: nothing tells it apart from another course's.
    expect(await splitLike({ assignmentId: crypto.randomUUID() })).toMatchObject({ ok: false, status: 403 });
  });

  it("gives a course's routes its assignment only for its instructors: 403 for another's, 404 for no such course or number", async () => {
    const mine = await assignmentTaughtBy(teachesA, { slug: a.slug, number: "6" });
    expect(mine).toMatchObject({ id: a.assignmentId, courseSlug: a.slug, number: 6 });
    // Both courses have an Assignment 6: the number is looked up within the course of the URL.
    expect((await assignmentTaughtBy(teachesB, { slug: b.slug, number: "6" })).id).toBe(b.assignmentId);

    const statusOf = async (p: Promise<unknown>) => errorResponse(await p.then(() => null, (e: unknown) => e)).status;
    expect(await statusOf(assignmentTaughtBy(teachesB, { slug: a.slug, number: "6" }))).toBe(403);
    expect(await statusOf(assignmentTaughtBy(teachesA, { slug: "no-such-course", number: "6" }))).toBe(404);
    expect(await statusOf(assignmentTaughtBy(teachesA, { slug: a.slug, number: "7" }))).toBe(404);
    expect(await statusOf(assignmentTaughtBy(teachesA, { slug: a.slug, number: "six" }))).toBe(404);
  });

  it("shows a submission to its course's instructors only: another course's instructor is a stranger (404), not an instructor", async () => {
    const asTeacher = await courseViewer(teachesA, { submissionId: submissionInA });
    expect(asTeacher).toEqual({ id: teachesA.id, role: "instructor" });
    expect((await getSubmissionDetail(h.db, asTeacher, submissionInA)).submission.id).toBe(submissionInA);
    const asStranger = await courseViewer(teachesB, { submissionId: submissionInA });
    expect(asStranger).toEqual({ id: teachesB.id, role: "student" });
    const refused = await getSubmissionDetail(h.db, asStranger, submissionInA).then(() => null, (e: unknown) => e);
    expect(errorResponse(refused).status).toBe(404);
    // The quiz statistics and scores routes ask the same question of the quiz's course.
    await expect(assertTeaches(teachesA, { courseId: a.courseId })).resolves.toBeUndefined();
    expect(errorResponse(await assertTeaches(teachesB, { courseId: a.courseId }).catch((e: unknown) => e)).status).toBe(403);
  });

  it("lists each user's own courses with their role, and the join code only to the course's instructors", async () => {
    const [course] = await listMyCourses(h.db, teachesA.id);
    expect(course).toMatchObject({ slug: a.slug, role: "instructor", members: 2, assignments: [expect.objectContaining({ number: 6 })] });
    expect(course!.joinCode).toMatch(/.+/);
    const [student] = (await h.db.select().from(enrollments).where(eq(enrollments.role, "student"))).map((e) => e.userId);
    const [asStudent] = await listMyCourses(h.db, student!);
    expect(asStudent).toMatchObject({ slug: a.slug, role: "student", joinCode: null });
  });

  it("sends an old course-less address to the asker's own course with that number", async () => {
    expect(await courseSlugWith(h.db, { userId: teachesB.id, kind: "assignment", number: 6 })).toBe(b.slug);
    expect(await courseSlugWith(h.db, { userId: teachesA.id, kind: "assignment", number: 6 })).toBe(a.slug);
    expect(await courseSlugWith(h.db, { userId: teachesA.id, kind: "assignment", number: 99 })).toBeNull();
  });
});
