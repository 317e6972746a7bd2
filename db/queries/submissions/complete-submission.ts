import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { reports, submissions } from "@/db/schema";
import type { GradingReport } from "@/grader/report/schema";
import { runningByWorker } from "./running-submission";

/**
 * Writes the report of one run at most once: `(submission_id, run)` is unique, and a second write
 * (a job delivered twice, a retried commit) changes nothing. Returns whether this call inserted it.
 */
export async function writeReport(tx: Tx | Db, submissionId: string, run: number, report: GradingReport): Promise<boolean> {
  const inserted = await tx
    .insert(reports)
    .values({
      submissionId,
      run,
      // Null until an improvement score is computed against the dataset's baseline (setReportScores).
      publicScore: report.score?.public.score ?? null,
      privateScore: report.score?.private.score ?? null,
      score: report.score?.all.score ?? null,
      paramCount: report.model.totalParams,
      report,
    })
    .onConflictDoNothing({ target: [reports.submissionId, reports.run] })
    .returning({ id: reports.id });
  return inserted.length === 1;
}

/**
 * Final success: stores the report and moves `running → succeeded` in one transaction. When the row
 * is no longer running under this worker (it was taken over), nothing is written and false is
 * returned: the worker that owns the row writes the one report. The grader calls it through
 * domain/grading/complete-grading.ts, which recounts the student's submission that counts in the
 * same transaction (given a transaction, this one becomes a savepoint inside it).
 */
export async function completeSubmission(
  db: Db | Tx,
  submission: { id: string; run: number },
  workerId: string,
  report: GradingReport,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const moved = await tx
      .update(submissions)
      .set({
        status: "succeeded",
        errorMessage: report.status === "diverged" ? report.message : null,
        finishedAt: sql`now()`,
        workerId: null,
      })
      .where(runningByWorker(submission.id, workerId))
      .returning({ id: submissions.id });
    if (moved.length === 0) return false;
    await writeReport(tx, submission.id, submission.run, report);
    return true;
  });
}
