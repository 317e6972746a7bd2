import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { rubricGrades, submissions } from "@/db/schema";

/** What grading a submission's written report needs to know of it, or null for an unknown id. */
export async function rubricSubmission(
  db: Db,
  submissionId: string,
): Promise<{ assignmentId: string; userId: string; writtenReportKey: string | null } | null> {
  const [row] = await db
    .select({ assignmentId: submissions.assignmentId, userId: submissions.userId, writtenReportKey: submissions.writtenReportKey })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  return row ?? null;
}

/** Stores a student's rubric grade for an assignment, replacing the one before (one per student and assignment). */
export async function upsertRubricGrade(db: Db, values: Omit<typeof rubricGrades.$inferInsert, "id">): Promise<void> {
  await db
    .insert(rubricGrades)
    .values(values)
    .onConflictDoUpdate({
      target: [rubricGrades.assignmentId, rubricGrades.userId],
      set: {
        submissionId: values.submissionId,
        scores: values.scores,
        total: values.total,
        comment: values.comment,
        gradedBy: values.gradedBy,
        updatedAt: values.updatedAt,
      },
    });
}

/** A student's stored rubric grade row for an assignment, or null. */
export async function rubricGradeRow(db: Db, assignmentId: string, userId: string) {
  const [row] = await db
    .select()
    .from(rubricGrades)
    .where(and(eq(rubricGrades.assignmentId, assignmentId), eq(rubricGrades.userId, userId)));
  return row ?? null;
}
