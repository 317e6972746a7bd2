import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { reports, scoreOverrides, submissions, users } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { gradingReportSchema, type GradingReport } from "@/grader/report/schema";
import type { Submission } from "@/db/queries/submissions/create-submission";

export interface ReportRun {
  run: number;
  publicScore: number | null;
  privateScore: number | null;
  score: number | null;
  /** The whole document, for the newest run only (the page shows its report; older runs' scores only). */
  report: GradingReport | null;
  createdAt: Date;
}

export interface ScoreOverride {
  score: number;
  reason: string;
  byName: string;
  createdAt: Date;
}

export interface SubmissionDetail {
  submission: Submission;
  owner: { id: string; name: string; email: string };
  /** Every graded run, oldest first: a regrade adds one and keeps the earlier ones. */
  runs: ReportRun[];
  /** Instructor overrides, newest first; the first one is the score that counts. */
  overrides: ScoreOverride[];
}

const idSchema = z.string().uuid();

/**
 * A submission with its reports and overrides, for a viewer who may see it: its owner or an
 * instructor. Anyone else — and any malformed or unknown id — gets NotFoundError, so an id does not
 * reveal that a submission exists.
 */
export async function getSubmissionDetail(
  db: Db,
  viewer: { id: string; role: "student" | "instructor" },
  rawId: string,
): Promise<SubmissionDetail> {
  const id = idSchema.safeParse(rawId);
  if (!id.success) throw new NotFoundError("No such submission.");
  const [row] = await db
    .select({ submission: submissions, owner: { id: users.id, name: users.name, email: users.email } })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.userId))
    .where(eq(submissions.id, id.data));
  if (!row || (viewer.role !== "instructor" && row.submission.userId !== viewer.id)) {
    throw new NotFoundError("No such submission.");
  }
  // Every run's scores, but only the newest run's document: a regraded submission's older reports are not read.
  const reportRows = await db
    .select({ run: reports.run, publicScore: reports.publicScore, privateScore: reports.privateScore, score: reports.score, createdAt: reports.createdAt })
    .from(reports)
    .where(eq(reports.submissionId, id.data))
    .orderBy(asc(reports.run));
  const newest = reportRows[reportRows.length - 1];
  const [newestDoc] = newest
    ? await db.select({ report: reports.report }).from(reports).where(and(eq(reports.submissionId, id.data), eq(reports.run, newest.run)))
    : [];
  const overrideRows = await db
    .select({ score: scoreOverrides.score, reason: scoreOverrides.reason, byName: users.name, createdAt: scoreOverrides.createdAt })
    .from(scoreOverrides)
    .innerJoin(users, eq(users.id, scoreOverrides.byUserId))
    .where(eq(scoreOverrides.submissionId, id.data))
    .orderBy(desc(scoreOverrides.createdAt));
  return {
    submission: row.submission,
    owner: row.owner,
    runs: reportRows.map((r) => ({
      ...r,
      // Stored by the grader through the same schema; parsing again keeps the page honest if it ever drifts.
      report: r === newest && newestDoc ? gradingReportSchema.parse(newestDoc.report) : null,
    })),
    overrides: overrideRows,
  };
}
