import { cache } from "react";
import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { courseRoleOf, findCourseBySlug, teachesCourseOf, type CourseRole, type CourseSummary, type CourseTarget } from "@/db/queries/courses/course-access";
import { findAssignmentInCourse, type AssignmentView } from "@/db/queries/assignments/find-assignment";
import { requireUser, type CurrentUser } from "./session";

/** A lesson or assignment number in a URL. */
export const urlNumberSchema = z.coerce.number().int().min(1).max(999);

export interface CourseContext {
  user: CurrentUser;
  course: CourseSummary;
  /** The user's role in this course, or null when they are not enrolled in it. */
  role: CourseRole | null;
}

const loadCourse = cache(async (slug: string) => {
  try {
    return await findCourseBySlug(await getDb(), slug);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
});

/** For pages under `/courses/[slug]`: the signed-in user (else sign in), the course (else 404) and their role in it. */
export async function requireCourse(slug: string, callbackPath: string): Promise<CourseContext> {
  const user = await requireUser(callbackPath);
  const course = await loadCourse(slug);
  const role = await courseRoleOf(await getDb(), course.id, user.id);
  return { user, course, role };
}

/**
 * For the instructor pages of a course: an instructor *of this course* (enrolled as one), else the
 * 403 page. An instructor of another course is refused like a student.
 */
export async function requireCourseInstructor(slug: string, callbackPath: string): Promise<CourseContext & { role: "instructor" }> {
  const ctx = await requireCourse(slug, callbackPath);
  if (ctx.role !== "instructor") forbidden();
  return { ...ctx, role: "instructor" };
}

/** The assignment `number` of this course, or the 404 page (a malformed number is a 404 too). */
export async function courseAssignmentOr404(course: CourseSummary, number: string): Promise<AssignmentView> {
  const n = urlNumberSchema.safeParse(number);
  if (!n.success) notFound();
  try {
    return await findAssignmentInCourse(await getDb(), course.id, n.data);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

/**
 * For route handlers under `/courses/[slug]/assignments/[number]`: the assignment, if the user
 * teaches this course. Throws the errors the route wrapper maps to 404 (no such course or
 * assignment) and 403 (not an instructor of this course).
 */
export async function assignmentTaughtBy(user: CurrentUser, params: { slug: string; number: string }): Promise<AssignmentView> {
  const db = await getDb();
  const course = await findCourseBySlug(db, params.slug);
  if ((await courseRoleOf(db, course.id, user.id)) !== "instructor") {
    throw new ForbiddenError("Only the instructors of this course can do this.");
  }
  const n = urlNumberSchema.safeParse(params.number);
  if (!n.success) throw new NotFoundError(`There is no assignment ${params.number} in this course.`);
  return findAssignmentInCourse(db, course.id, n.data);
}

/**
 * The user as one course sees them: "instructor" only when they teach that course. Pass this,
 * not the account, to queries that show instructors more (a submission, its report and stream), so
 * an instructor of another course is answered like any other student: 404 for what is not theirs.
 */
export async function courseViewer(user: CurrentUser, target: CourseTarget): Promise<{ id: string; role: CourseRole }> {
  const teaches = user.role === "instructor" && (await teachesCourseOf(await getDb(), user.id, target));
  return { id: user.id, role: teaches ? "instructor" : "student" };
}

/** For route handlers: throws the 403 unless the user teaches the target's course. */
export async function assertTeaches(user: CurrentUser, target: CourseTarget): Promise<void> {
  if (!(await teachesCourseOf(await getDb(), user.id, target))) throw new ForbiddenError("Only the instructors of this course can do this.");
}
