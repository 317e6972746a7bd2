import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { reports, submissions } from "@/db/schema";
import { gradingReportSchema, type GradingReport } from "@/grader/report/schema";

/** The platform's baseline run on one student dataset, with its newest report once it has one. */
export interface DatasetBaseline {
  submissionId: string;
  assignmentId: string;
  status: (typeof submissions.$inferSelect)["status"];
  errorMessage: string | null;
  /** The newest report (a regraded baseline's newest run); null until the run has succeeded. */
  report: GradingReport | null;
}

/** The baseline run of a student dataset (`purpose = 'baseline'`, at most one per dataset), or null when none was made. */
export async function datasetBaseline(db: Db | Tx, studentDatasetId: string): Promise<DatasetBaseline | null> {
  const [row] = await db
    .select({ submissionId: submissions.id, assignmentId: submissions.assignmentId, status: submissions.status, errorMessage: submissions.errorMessage })
    .from(submissions)
    .where(and(eq(submissions.studentDatasetId, studentDatasetId), eq(submissions.purpose, "baseline")));
  if (!row) return null;
  const [latest] = await db
    .select({ report: reports.report })
    .from(reports)
    .where(eq(reports.submissionId, row.submissionId))
    .orderBy(desc(reports.run))
    .limit(1);
  return { ...row, report: latest ? gradingReportSchema.parse(latest.report) : null };
}

export interface NewBaselineRun {
  assignmentId: string;
  /** The dataset's owner: the baseline is trained on their data (it uses none of their quota). */
  userId: string;
  studentDatasetId: string;
  kind: "cnn" | "transfer" | "keras";
  spec: unknown;
  seed: number;
}

/**
 * Queues the baseline run of a dataset unless it has one: the partial unique index on
 * (student_dataset_id) where purpose = 'baseline' makes a second insert — a racing submit — do nothing.
 * Returns the new row's id, or null when the dataset already had its baseline.
 */
export async function insertBaselineRun(db: Db | Tx, run: NewBaselineRun): Promise<string | null> {
  const inserted = await db
    .insert(submissions)
    .values({
      assignmentId: run.assignmentId,
      userId: run.userId,
      studentDatasetId: run.studentDatasetId,
      purpose: "baseline",
      kind: run.kind,
      spec: run.spec,
      seed: run.seed,
      status: "queued",
      // The platform's run: it never uses a student's daily quota.
      countsTowardQuota: false,
    })
    .onConflictDoNothing()
    .returning({ id: submissions.id });
  return inserted[0]?.id ?? null;
}

/** A graded report on a dataset whose improvement score is not computed yet. */
export interface ReportAwaitingBaseline {
  reportId: string;
  submissionId: string;
  assignmentId: string;
  userId: string;
  report: GradingReport;
}

/**
 * The newest report of every graded submission on a student dataset whose score is still missing (written before
 * the dataset's baseline had finished), locked for the update that scores them.
 */
export async function reportsAwaitingBaseline(tx: Tx, studentDatasetId: string, submissionId?: string): Promise<ReportAwaitingBaseline[]> {
  const rows = await tx
    .select({
      reportId: reports.id,
      submissionId: submissions.id,
      assignmentId: submissions.assignmentId,
      userId: submissions.userId,
      report: reports.report,
    })
    .from(reports)
    .innerJoin(submissions, eq(submissions.id, reports.submissionId))
    .where(
      and(
        eq(submissions.studentDatasetId, studentDatasetId),
        eq(submissions.purpose, "graded"),
        submissionId === undefined ? undefined : eq(submissions.id, submissionId),
        sql`${reports.score} is null`,
        sql`${reports.run} = (select max(r2.run) from ${reports} r2 where r2.submission_id = ${submissions.id})`,
      ),
    )
    .for("update", { of: reports });
  return rows.map((r) => ({ ...r, report: gradingReportSchema.parse(r.report) }));
}

/** Writes a report's score (the document's `score` and the three score columns the counted submission reads). */
export async function setReportScores(tx: Tx, reportId: string, score: NonNullable<GradingReport["score"]>): Promise<void> {
  await tx
    .update(reports)
    .set({
      report: sql`jsonb_set(${reports.report}, '{score}', ${JSON.stringify(score)}::jsonb)`,
      publicScore: score.public.score,
      privateScore: score.private.score,
      score: score.all.score,
    })
    .where(eq(reports.id, reportId));
}
