import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { countedSubmissions, enrollments, rubricGrades, users } from "@/db/schema";

/** One enrolled student with their counted submission's scores and their rubric total, if any. */
export interface GradebookStudentRow {
  userId: string;
  name: string;
  email: string;
  counted: { publicScore: number; privateScore: number; source: "report" | "override" } | null;
  rubricTotal: number | null;
}

/** Where a page of the gradebook starts: after the row with this sort key. */
export type GradebookKey = { name: string; email: string; userId: string };

/**
 * The students enrolled in an assignment's course, sorted by name, email and id, with one
 * counted_submissions row and one rubric_grades row each (both by primary key or unique index).
 * With `page`, at most `page.limit` rows after `page.after`: keyset pagination in SQL. With `userId`,
 * that student's row only (none when they are not a student of the course).
 */
export async function gradebookStudents(
  db: Db,
  assignment: { id: string; courseId: string },
  page?: { after: GradebookKey | null; limit: number },
  userId?: string,
): Promise<GradebookStudentRow[]> {
  const after = page?.after;
  const query = db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      publicScore: countedSubmissions.publicScore,
      privateScore: countedSubmissions.privateScore,
      source: countedSubmissions.source,
      rubricTotal: rubricGrades.total,
    })
    .from(enrollments)
    .innerJoin(users, eq(users.id, enrollments.userId))
    .leftJoin(countedSubmissions, and(eq(countedSubmissions.assignmentId, assignment.id), eq(countedSubmissions.userId, users.id)))
    .leftJoin(rubricGrades, and(eq(rubricGrades.assignmentId, assignment.id), eq(rubricGrades.userId, users.id)))
    .where(
      and(
        eq(enrollments.courseId, assignment.courseId),
        eq(enrollments.role, "student"),
        userId === undefined ? undefined : eq(users.id, userId),
        after ? sql`(${users.name}, ${users.email}, ${users.id}) > (${after.name}, ${after.email}, ${after.userId})` : undefined,
      ),
    )
    .orderBy(asc(users.name), asc(users.email), asc(users.id));
  const rows = await (page ? query.limit(page.limit) : query);
  return rows.map(({ publicScore, privateScore, source, ...r }) => ({
    ...r,
    counted: publicScore === null || privateScore === null || source === null ? null : { publicScore, privateScore, source },
  }));
}

/** How many students are enrolled in the course. */
export async function enrolledStudentCount(db: Db, courseId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(enrollments)
    .where(and(eq(enrollments.courseId, courseId), eq(enrollments.role, "student")));
  return row?.n ?? 0;
}
