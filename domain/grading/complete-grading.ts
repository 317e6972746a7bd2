import type { Db } from "@/db";
import { completeSubmission } from "@/db/queries/submissions/complete-submission";
import { submissionOwner } from "@/db/queries/submissions/submission-owner";
import type { GradingReport } from "@/grader/report/schema";
import { scoreAgainstBaseline } from "./baseline-score";
import { recountStudent } from "./recount";

/**
 * A grading run's success: the report is stored, the submission moves `running → succeeded`, and the
 * student's submission that counts is chosen again, all in one transaction — so the leaderboard and
 * gradebook never show a score the report table does not hold. On a `datasets: student` assignment the
 * improvement score is computed here too, when this run completes the pair of graded run and baseline run
 * (./baseline-score.ts), and every student it scored is recounted. False (nothing written) when the row
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
    const scored = await scoreAgainstBaseline(tx, submission.id);
    const students = [owner, ...scored.filter((s) => s.assignmentId !== owner.assignmentId || s.userId !== owner.userId)];
    for (const s of students) await recountStudent(tx, s.assignmentId, s.userId);
    return true;
  });
}
