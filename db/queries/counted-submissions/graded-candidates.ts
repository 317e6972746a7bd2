import { and, eq, isNotNull, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { submissions } from "@/db/schema";
import { latestReport, newestOverride } from "@/db/queries/submissions/latest-report";

/** A student's submission with what it was graded: its newest report's scores and newest override. */
export interface GradedSubmissionRow {
  userId: string;
  submissionId: string;
  createdAt: Date;
  publicScore: number | null;
  privateScore: number | null;
  overrideScore: number | null;
}

/**
 * The graded submissions of an assignment (of one student, with `userId`) that could count: those with a
 * report or an override. The rows the rule in domain/grading/counted-submission.ts chooses from.
 */
export async function gradedSubmissions(db: Db | Tx, assignmentId: string, userId?: string): Promise<GradedSubmissionRow[]> {
  const report = latestReport(db);
  const override = newestOverride(db);
  return db
    .select({
      userId: submissions.userId,
      submissionId: submissions.id,
      createdAt: submissions.createdAt,
      publicScore: report.publicScore,
      privateScore: report.privateScore,
      overrideScore: override.score,
    })
    .from(submissions)
    .leftJoinLateral(report, sql`true`)
    .leftJoinLateral(override, sql`true`)
    .where(
      and(
        eq(submissions.assignmentId, assignmentId),
        // Practice runs and the platform's baseline runs never count for the assignment.
        eq(submissions.purpose, "graded"),
        userId === undefined ? undefined : eq(submissions.userId, userId),
        or(isNotNull(report.run), isNotNull(override.score)),
      ),
    );
}
