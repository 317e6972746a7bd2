import type { Db } from "@/db";
import { completeSubmission } from "@/db/queries/submissions/complete-submission";
import { submissionOwner } from "@/db/queries/submissions/submission-owner";
import type { GradingReport } from "@/grader/report/schema";
import { recountStudent } from "./recount";

/**
 * A grading run's success: the report is stored, the submission moves `running → succeeded`, and the
 * student's submission that counts is chosen again, all in one transaction — so the leaderboard and
 * gradebook never show a score the report table does not hold. False (nothing written) when the row
 * is no longer running under this worker.
 */
export async function completeGrading(
  db: Db,
  submission: { id: string; run: number },
  workerId: string,
  report: GradingReport,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await completeSubmission(tx, submission, workerId, report))) return false;
    const owner = await submissionOwner(tx, submission.id);
    await recountStudent(tx, owner.assignmentId, owner.userId);
    return true;
  });
}
