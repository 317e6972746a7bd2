import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { assignments, courses, enrollments, lessons, users } from "@/db/schema";
import { seedDatabase } from "@/db/seed/seed";
import { createTestDb, dbDriverName } from "../helpers/test-db";

describe(`seeding the course (${dbDriverName})`, () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.close());

  it("registers the course, Lesson 6, Assignments 6, 7 and 8, and enrolls the demo accounts", async () => {
    const result = await seedDatabase(h.db, { demo: true });
    expect(result.demo.map((d) => d.role).sort()).toEqual(["instructor", "student"]);
    const [course] = await h.db.select().from(courses).where(eq(courses.id, result.courseId));
    expect(course.slug).toBe("cv-fundamentals");
    const lessonRows = await h.db.select().from(lessons).where(eq(lessons.courseId, course.id));
    expect(lessonRows.map((l) => l.number)).toEqual([6]);
    const rows = await h.db.select().from(assignments).where(eq(assignments.courseId, course.id)).orderBy(assignments.number);
    expect(rows.map((a) => [a.number, a.slug])).toEqual([[6, "lesson-6"], [7, "digits-7"], [8, "custom-dataset"]]);
    const a6 = rows[0]!;
    expect((a6.config as { classes: string[] }).classes.length).toBeGreaterThan(1);
    expect(await h.db.select().from(enrollments).where(eq(enrollments.courseId, course.id))).toHaveLength(2);
  });

  it("is safe to run again: same course and join code, no duplicate rows", async () => {
    const first = await h.db.select().from(courses);
    const again = await seedDatabase(h.db, { demo: true });
    expect(again.joinCode).toBe(first[0].joinCode);
    expect(await h.db.select().from(courses)).toHaveLength(1);
    expect(await h.db.select().from(assignments)).toHaveLength(3);
    expect(await h.db.select().from(users)).toHaveLength(2);
  });

  it("creates no account at all when demo seeding is off (production)", async () => {
    const fresh = await createTestDb();
    try {
      const result = await seedDatabase(fresh.db, { demo: false });
      expect(result.demo).toEqual([]);
      expect(await fresh.db.select().from(users)).toHaveLength(0);
    } finally {
      await fresh.close();
    }
  });
});
