import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, courses, enrollments, submissions } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

export type CourseRole = "student" | "instructor";

export interface CourseSummary {
  id: string;
  slug: string;
  title: string;
  joinCode: string;
}

/**
 * The course at `/courses/<slug>`.
 * @throws NotFoundError when no course has that slug.
 */
export async function findCourseBySlug(db: Db, slug: string): Promise<CourseSummary> {
  const [row] = await db
    .select({ id: courses.id, slug: courses.slug, title: courses.title, joinCode: courses.joinCode })
    .from(courses)
    .where(eq(courses.slug, slug));
  if (!row) throw new NotFoundError(`There is no course "${slug}".`);
  return row;
}

/**
 * The user's role in this course (from their enrollment), or null when they are not in it. Being an
 * instructor somewhere does not make one an instructor of every course: the instructor pages of a
 * course ask this, not the account's role.
 */
export async function courseRoleOf(db: Db, courseId: string, userId: string): Promise<CourseRole | null> {
  const [row] = await db
    .select({ role: enrollments.role })
    .from(enrollments)
    .where(and(eq(enrollments.courseId, courseId), eq(enrollments.userId, userId)));
  return row?.role ?? null;
}

/** @throws NotFoundError when no course has this id. */
export async function findCourseById(db: Db, id: string): Promise<CourseSummary> {
  const [row] = await db
    .select({ id: courses.id, slug: courses.slug, title: courses.title, joinCode: courses.joinCode })
    .from(courses)
    .where(eq(courses.id, id));
  if (!row) throw new NotFoundError("No such course.");
  return row;
}

/** What an instructor action acts on: the course is found from it. */
export type CourseTarget = { courseId: string } | { assignmentId: string } | { submissionId: string };

async function courseIdOf(db: Db, target: CourseTarget): Promise<string | null> {
  if ("courseId" in target) return target.courseId;
  if ("assignmentId" in target) {
    const [row] = await db.select({ courseId: assignments.courseId }).from(assignments).where(eq(assignments.id, target.assignmentId));
    return row?.courseId ?? null;
  }
  const [row] = await db
    .select({ courseId: assignments.courseId })
    .from(submissions)
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .where(eq(submissions.id, target.submissionId));
  return row?.courseId ?? null;
}

/** True when the user is enrolled as an instructor of the course the target belongs to (false for an unknown target). */
export async function teachesCourseOf(db: Db, userId: string, target: CourseTarget): Promise<boolean> {
  const courseId = await courseIdOf(db, target);
  return courseId !== null && (await courseRoleOf(db, courseId, userId)) === "instructor";
}
