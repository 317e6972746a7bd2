import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, lessons, quizzes } from "@/db/schema";

/** What a course offers to place in an LMS: its lessons, the lessons that have a quiz, its assignments. */
export async function deepLinkChoices(db: Db, courseId: string) {
  const [lessonRows, quizRows, assignmentRows] = await Promise.all([
    db.select({ number: lessons.number, title: lessons.title }).from(lessons).where(eq(lessons.courseId, courseId)).orderBy(asc(lessons.number)),
    db
      .select({ number: lessons.number, title: lessons.title })
      .from(quizzes)
      .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
      .where(eq(lessons.courseId, courseId))
      .orderBy(asc(lessons.number)),
    db.select({ number: assignments.number, title: assignments.title }).from(assignments).where(eq(assignments.courseId, courseId)).orderBy(asc(assignments.number)),
  ]);
  return { lessons: lessonRows, quizzes: quizRows, assignments: assignmentRows };
}
