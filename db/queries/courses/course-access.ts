import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { courses, enrollments } from "@/db/schema";
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
