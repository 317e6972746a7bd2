import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, lessons } from "@/db/schema";

export interface CourseOutline {
  lessons: { number: number; title: string }[];
  assignments: { number: number; title: string; dueAt: Date | null }[];
}

/** The lessons and assignments registered for a course, each in number order (the course page and the navigation). */
export async function courseOutline(db: Db, courseId: string): Promise<CourseOutline> {
  const [lessonRows, assignmentRows] = await Promise.all([
    db
      .select({ number: lessons.number, title: lessons.title })
      .from(lessons)
      .where(eq(lessons.courseId, courseId))
      .orderBy(asc(lessons.number)),
    db
      .select({ number: assignments.number, title: assignments.title, dueAt: assignments.dueAt })
      .from(assignments)
      .where(eq(assignments.courseId, courseId))
      .orderBy(asc(assignments.number)),
  ]);
  return { lessons: lessonRows, assignments: assignmentRows };
}
