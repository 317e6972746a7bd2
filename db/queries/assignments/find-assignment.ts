import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, courses } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { effectiveConfigOf } from "@/db/queries/assignments/effective-assignment-config";

/**
 * An assignment row with its effective config: assignment.yaml's, parsed by the grader's own schema,
 * with the instructor's uploaded datasets and split over it (the values the grader enforces).
 */
export interface AssignmentView {
  id: string;
  courseId: string;
  /** The course's URL slug: every link to the assignment's pages is built from it and the number. */
  courseSlug: string;
  number: number;
  title: string;
  dueAt: Date;
  leaderboardAnonymous: boolean;
  config: AssignmentConfig;
}

async function toView(db: Db, row: typeof assignments.$inferSelect): Promise<AssignmentView> {
  const [config, [course]] = await Promise.all([
    effectiveConfigOf(db, row),
    db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, row.courseId)),
  ]);
  return {
    id: row.id,
    courseId: row.courseId,
    courseSlug: course!.slug,
    number: row.number,
    title: row.title,
    dueAt: row.dueAt ?? new Date(config.dueAt),
    leaderboardAnonymous: row.leaderboardAnonymous,
    config,
  };
}

/**
 * Assignment `number` of one course (the URL's `/courses/<slug>/assignments/<number>`): numbers are
 * unique within a course, not across courses.
 * @throws NotFoundError when the course has no assignment with that number.
 */
export async function findAssignmentInCourse(db: Db, courseId: string, number: number): Promise<AssignmentView> {
  const [row] = await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.courseId, courseId), eq(assignments.number, number)));
  if (!row) throw new NotFoundError(`There is no assignment ${number} in this course.`);
  return toView(db, row);
}

/** @throws NotFoundError when the id is unknown. */
export async function findAssignmentById(db: Db, id: string): Promise<AssignmentView> {
  const [row] = await db.select().from(assignments).where(eq(assignments.id, id));
  if (!row) throw new NotFoundError("No such assignment.");
  return toView(db, row);
}
