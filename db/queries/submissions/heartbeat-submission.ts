import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import type { GradingProgress, ProgressPoint } from "@/grader/contracts/grading-progress";
import { runningByWorker } from "./running-submission";

/**
 * Proves the worker grading a submission is alive, and optionally stores the last progress event and
 * the curves so far, so a page reload (or a page opened mid-run) shows them. Returns false when the
 * row is no longer running under this worker (it was handed to another worker after this one looked
 * dead): the caller must stop grading it.
 */
export async function heartbeatSubmission(
  db: Db,
  submissionId: string,
  workerId: string,
  progress?: { latest: GradingProgress; history: readonly ProgressPoint[] },
): Promise<boolean> {
  const rows = await db
    .update(submissions)
    .set(
      progress === undefined
        ? { heartbeatAt: sql`now()` }
        : { heartbeatAt: sql`now()`, progress: progress.latest, progressHistory: [...progress.history] },
    )
    .where(runningByWorker(submissionId, workerId))
    .returning({ id: submissions.id });
  return rows.length === 1;
}
