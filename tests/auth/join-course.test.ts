import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db";
import { createUser } from "@/domain/auth/create-user";
import { upsertCourse } from "@/db/queries/courses/upsert-course";
import { isEnrolled, joinCourseByCode } from "@/db/queries/courses/enroll";
import { regenerateJoinCode } from "@/db/queries/courses/regenerate-join-code";
import { createTestDb, dbDriverName } from "../helpers/test-db";

describe(`joining a course by its code (${dbDriverName})`, () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.close());

  it("enrolls a student who types the code in any case, once however often they join", async () => {
    const course = await upsertCourse(h.db, { slug: "cv", title: "CV" });
    const student = await createUser(h.db, { email: "s@example.org", name: "S", password: "long enough pw" });
    expect(await isEnrolled(h.db, course.id, student.id)).toBe(false);
    await joinCourseByCode(h.db, ` ${course.joinCode.toLowerCase()} `, student.id, "student");
    await joinCourseByCode(h.db, course.joinCode, student.id, "student");
    expect(await isEnrolled(h.db, course.id, student.id)).toBe(true);
  });

  it("refuses a wrong code with a message that says what to check", async () => {
    const student = await createUser(h.db, { email: "t@example.org", name: "T", password: "long enough pw" });
    await expect(joinCourseByCode(h.db, "NOPE1234", student.id, "student")).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining("Check it with your instructor"),
    });
  });

  it("stops an old code from working once the instructor replaces it", async () => {
    const course = await upsertCourse(h.db, { slug: "cv2", title: "CV 2" });
    const fresh = await regenerateJoinCode(h.db, course.id);
    expect(fresh).not.toBe(course.joinCode);
    const student = await createUser(h.db, { email: "u@example.org", name: "U", password: "long enough pw" });
    await expect(joinCourseByCode(h.db, course.joinCode, student.id, "student")).rejects.toMatchObject({ status: 404 });
    await joinCourseByCode(h.db, fresh, student.id, "student");
    expect(await isEnrolled(h.db, course.id, student.id)).toBe(true);
  });
});
