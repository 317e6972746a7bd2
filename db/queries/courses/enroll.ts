import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { courses, enrollments } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/** Adds a user to a course (idempotent). */
export async function enroll(db: Db, courseId: string, userId: string, role: "student" | "instructor") {
  await db.insert(enrollments).values({ courseId, userId, role }).onConflictDoNothing();
}

/** Joins the course whose code this is; a wrong code is a 404 with a message that says what to check. */
export async function joinCourseByCode(db: Db, code: string, userId: string, role: "student" | "instructor") {
  const [course] = await db.select().from(courses).where(eq(courses.joinCode, code.trim().toUpperCase()));
  if (!course) throw new NotFoundError("No course has that join code. Check it with your instructor.");
  await enroll(db, course.id, userId, role);
  return course;
}

export async function isEnrolled(db: Db, courseId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: enrollments.userId })
    .from(enrollments)
    .where(and(eq(enrollments.courseId, courseId), eq(enrollments.userId, userId)));
  return Boolean(row);
}
