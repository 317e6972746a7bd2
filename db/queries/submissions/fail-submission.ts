import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import { runningByWorker } from "./running-submission";

/**
 * Final failure: `running → failed` with the reason the student reads. A failed run does not use
 * the student's daily quota. Returns false when the row was not running under this worker.
 */
export async function failSubmission(
  db: Db,
  submissionId: string,
  workerId: string,
  errorMessage: string,
): Promise<boolean> {
  const rows = await db
    .update(submissions)
    .set({
      status: "failed",
      errorMessage,
      countsTowardQuota: false,
      finishedAt: sql`now()`,
      workerId: null,
    })
    .where(runningByWorker(submissionId, workerId))
    .returning({ id: submissions.id });
  return rows.length === 1;
}
