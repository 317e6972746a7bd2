import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { lessons, quizzes } from "@/db/schema";

/** The quiz of the course's lesson with the assignment's number (its gradebook's quiz part), or null. */
export async function lessonQuizId(db: Db, courseId: string, number: number): Promise<string | null> {
  const [quiz] = await db
    .select({ id: quizzes.id })
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .where(and(eq(lessons.courseId, courseId), eq(lessons.number, number)))
    .limit(1);
  return quiz?.id ?? null;
}
