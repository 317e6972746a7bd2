import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, reports, studentDatasets, submissions } from "@/db/schema";
import { gradingReportSchema, type GradingReport } from "@/grader/report/schema";
import type { SubmissionKind } from "@/grader/contracts/submission-status";
import type { SubmissionPurpose } from "@/db/schema/grading";

/** What deciding who may see a run, and on which data it ran, needs of its submission row. */
export interface RunRow {
  id: string;
  userId: string;
  assignmentId: string;
  assignmentNumber: number;
  courseId: string;
  kind: SubmissionKind;
  spec: unknown;
  purpose: SubmissionPurpose;
  status: string;
  studentDatasetId: string | null;
  /** The student dataset's name, else the assignment's title (its own data). */
  datasetName: string;
  /** Whether the submission has at least one report. */
  hasReport: boolean;
  createdAt: Date;
}

const columns = {
  id: submissions.id,
  userId: submissions.userId,
  assignmentId: submissions.assignmentId,
  assignmentNumber: assignments.number,
  courseId: assignments.courseId,
  kind: submissions.kind,
  spec: submissions.spec,
  purpose: submissions.purpose,
  status: submissions.status,
  studentDatasetId: submissions.studentDatasetId,
  datasetName: sql<string>`coalesce(${studentDatasets.name}, ${assignments.title})`,
  hasReport: sql<boolean>`exists (select 1 from ${reports} where ${reports.submissionId} = ${submissions.id})`,
  createdAt: submissions.createdAt,
};

/** The submissions with these ids (unknown ids are simply absent; callers bound the list). */
export async function runRows(db: Db, ids: readonly string[]): Promise<RunRow[]> {
  if (!ids.length) return [];
  return db
    .select(columns)
    .from(submissions)
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .leftJoin(studentDatasets, eq(studentDatasets.id, submissions.studentDatasetId))
    .where(inArray(submissions.id, [...ids]));
}

/**
 * A student's runs in one course that have a report (graded, practice, and the platform's baseline run on
 * one of their datasets), newest first, at most `limit`: the written report's "Insert a run" picker.
 */
export async function reportedRunsOfUser(db: Db, input: { userId: string; courseId: string; limit: number }): Promise<RunRow[]> {
  return db
    .select(columns)
    .from(submissions)
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .leftJoin(studentDatasets, eq(studentDatasets.id, submissions.studentDatasetId))
    .where(
      and(
        eq(submissions.userId, input.userId),
        eq(assignments.courseId, input.courseId),
        eq(submissions.status, "succeeded"),
        sql`exists (select 1 from ${reports} where ${reports.submissionId} = ${submissions.id})`,
      ),
    )
    .orderBy(desc(submissions.createdAt))
    .limit(input.limit);
}

/** The newest report document of each of these submissions (parsed by the grader's schema), by submission id. */
export async function newestReports(db: Db, ids: readonly string[]): Promise<Map<string, GradingReport>> {
  const out = new Map<string, GradingReport>();
  if (!ids.length) return out;
  const rows = await db
    .selectDistinctOn([reports.submissionId], { submissionId: reports.submissionId, report: reports.report })
    .from(reports)
    .where(inArray(reports.submissionId, [...ids]))
    .orderBy(reports.submissionId, desc(reports.run));
  for (const r of rows) out.set(r.submissionId, gradingReportSchema.parse(r.report));
  return out;
}

/** A student dataset's owner and course, or null for an unknown id (the compare page's dataset). */
export async function studentDatasetOwner(db: Db, id: string): Promise<{ id: string; userId: string; courseId: string; name: string } | null> {
  const [row] = await db
    .select({ id: studentDatasets.id, userId: studentDatasets.userId, courseId: studentDatasets.courseId, name: studentDatasets.name })
    .from(studentDatasets)
    .where(eq(studentDatasets.id, id));
  return row ?? null;
}
