import { desc } from "drizzle-orm";
import type { Db } from "@/db";
import { reports } from "@/db/schema";

/**
 * A subquery with the newest report of every submission (highest run), so a submission being
 * regraded still shows its last score until the new one is written.
 */
export function latestReports(db: Db) {
  return db
    .selectDistinctOn([reports.submissionId], {
      submissionId: reports.submissionId,
      run: reports.run,
      publicScore: reports.publicScore,
      privateScore: reports.privateScore,
      score: reports.score,
      paramCount: reports.paramCount,
      reportedAt: reports.createdAt,
    })
    .from(reports)
    .orderBy(reports.submissionId, desc(reports.run))
    .as("latest_reports");
}
