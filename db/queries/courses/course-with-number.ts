import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, courses, enrollments, lessons } from "@/db/schema";

/**
 * The slug of a course that has assignment (or lesson) `number`, preferring the user's own courses,
 * else null: where the old course-less URLs (`/assignments/6`, `/lessons/6`) redirect to.
 */
export async function courseSlugWith(
  db: Db,
  input: { userId: string; kind: "assignment" | "lesson"; number: number },
): Promise<string | null> {
  const table = input.kind === "assignment" ? assignments : lessons;
  const [row] = await db
    .select({ slug: courses.slug })
    .from(table)
    .innerJoin(courses, eq(courses.id, table.courseId))
    .leftJoin(enrollments, and(eq(enrollments.courseId, courses.id), eq(enrollments.userId, input.userId)))
    .where(eq(table.number, input.number))
    // Enrolled courses first, then by slug so the answer does not depend on row order.
    .orderBy(sql`${enrollments.userId} is null`, asc(courses.slug))
    .limit(1);
  return row?.slug ?? null;
}
