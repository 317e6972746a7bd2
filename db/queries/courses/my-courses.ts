import { asc, count, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { courses, enrollments } from "@/db/schema";
import type { CourseRole } from "./course-access";
import { courseOutline, type CourseOutline } from "./course-outline";

export interface MyCourse extends CourseOutline {
  id: string;
  slug: string;
  title: string;
  role: CourseRole;
  /** Only for the course's instructors: students reach a course with it, so it is not shown to them. */
  joinCode: string | null;
  /** People enrolled (students and instructors). */
  members: number;
}

/**
 * The courses the user is enrolled in, with their role, lessons and assignments, by title. The
 * navigation and the instructor dashboard are built from this, not from constants.
 */
export async function listMyCourses(db: Db, userId: string): Promise<MyCourse[]> {
  const mine = await db
    .select({ id: courses.id, slug: courses.slug, title: courses.title, joinCode: courses.joinCode, role: enrollments.role })
    .from(enrollments)
    .innerJoin(courses, eq(courses.id, enrollments.courseId))
    .where(eq(enrollments.userId, userId))
    .orderBy(asc(courses.title));
  if (mine.length === 0) return [];
  const memberCounts = await db
    .select({ courseId: enrollments.courseId, members: count(enrollments.userId) })
    .from(enrollments)
    .where(inArray(enrollments.courseId, mine.map((c) => c.id)))
    .groupBy(enrollments.courseId);
  return Promise.all(
    mine.map(async (c) => ({
      id: c.id,
      slug: c.slug,
      title: c.title,
      role: c.role,
      joinCode: c.role === "instructor" ? c.joinCode : null,
      members: memberCounts.find((m) => m.courseId === c.id)?.members ?? 0,
      ...(await courseOutline(db, c.id)),
    })),
  );
}
