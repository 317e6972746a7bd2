import type { Tx } from "@/db";
import { effectiveAssignmentConfig } from "@/db/queries/assignments/effective-assignment-config";
import { datasetBaseline, reportsAwaitingBaseline, setReportScores } from "@/db/queries/baselines/dataset-baseline";
import { submissionPurpose } from "@/db/queries/baselines/submission-dataset";
import type { ImprovementScoreFormula } from "@/grader/assignment/schema";
import { improvementScores } from "@/grader/score/improvement-score";

/** A student whose submission that counts may have changed. */
export interface StudentOnAssignment {
  assignmentId: string;
  userId: string;
}

/**
 * The improvement score of a `datasets: student` assignment needs two finished runs on the same dataset: the
 * student's graded run and the platform's baseline run. Whichever finishes last scores — called in the
 * transaction that stores a report:
 * - a graded run whose dataset's baseline has a report is scored at once;
 * - a baseline run scores every graded report on its dataset that was waiting for it;
 * - otherwise nothing happens, and the graded report keeps no score (the student's page says it waits).
 * Returns the students whose scores were written (their submission that counts must be chosen again).
 */
export async function scoreAgainstBaseline(tx: Tx, submissionId: string): Promise<StudentOnAssignment[]> {
  const run = await submissionPurpose(tx, submissionId);
  if (!run?.studentDatasetId || run.purpose === "practice") return [];
  const baseline = await datasetBaseline(tx, run.studentDatasetId);
  if (!baseline?.report) return [];
  const waiting = await reportsAwaitingBaseline(tx, run.studentDatasetId, run.purpose === "graded" ? submissionId : undefined);
  const formulas = new Map<string, ImprovementScoreFormula | null>();
  const scored: StudentOnAssignment[] = [];
  for (const w of waiting) {
    if (!formulas.has(w.assignmentId)) {
      const config = await effectiveAssignmentConfig(tx, w.assignmentId);
      formulas.set(w.assignmentId, config?.score.kind === "improvement" ? config.score : null);
    }
    const formula = formulas.get(w.assignmentId);
    if (!formula) continue;
    await setReportScores(tx, w.reportId, improvementScores(w.report, baseline.report, formula, baseline.submissionId));
    if (!scored.some((s) => s.assignmentId === w.assignmentId && s.userId === w.userId)) scored.push({ assignmentId: w.assignmentId, userId: w.userId });
  }
  return scored;
}
