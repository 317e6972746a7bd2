import { desc, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { reports, scoreOverrides, submissions } from "@/db/schema";

/**
 * The newest report (highest run) of the `submissions` row it is joined to, as a lateral subquery:
 * one probe of reports_submission_run_idx per submission shown, instead of reading every report.
 * The one way a query joins submissions to their latest report (the instructor's list, a student's
 * history, the submission that counts); a submission being regraded keeps its last score until
 * the new run's report is written. Join it with `leftJoinLateral(latestReport(db), sql\`true\`)`.
 */
export function latestReport(db: Db | Tx) {
  return db
    .select({
      run: reports.run,
      publicScore: reports.publicScore,
      privateScore: reports.privateScore,
      reportedAt: reports.createdAt,
    })
    .from(reports)
    .where(eq(reports.submissionId, submissions.id))
    .orderBy(desc(reports.run))
    .limit(1)
    .as("latest_report");
}

/** The newest instructor override of the `submissions` row it is joined to, as a lateral subquery. */
export function newestOverride(db: Db | Tx) {
  return db
    .select({ score: scoreOverrides.score })
    .from(scoreOverrides)
    .where(eq(scoreOverrides.submissionId, submissions.id))
    .orderBy(desc(scoreOverrides.createdAt))
    .limit(1)
    .as("newest_override");
}
