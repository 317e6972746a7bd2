import type { Db } from "@/db";
import { datasetBaseline } from "@/db/queries/baselines/dataset-baseline";
import { findOwnDataset } from "@/db/queries/own-datasets/find-own-dataset";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { metricValue } from "@/grader/score/compute-score";

/** Where a run on a student's dataset stands with its score, for the submission page. */
export interface DatasetScoreState {
  datasetId: string;
  datasetName: string;
  purpose: "graded" | "practice" | "baseline";
  /** The platform's baseline run on the dataset (null: none yet — it is queued with the first graded submission). */
  baseline: { submissionId: string; status: string; errorMessage: string | null; metric: string; value: number | null } | null;
  /** A graded run whose report is in but whose score waits for the baseline (or for a baseline that failed). */
  waitingForBaseline: boolean;
  /** Evaluate mode: the student trained the uploaded model themselves, with every image of the dataset at hand. */
  hadTestImages: boolean;
}

/**
 * The score state of a submission on a student's own dataset, or null for one on the assignment's data. The score of
 * a graded run on a `kind: improvement` assignment exists only once its dataset's baseline has a report
 * (domain/grading/baseline-score.ts); until then the page says what it waits for.
 */
export async function datasetScoreState(
  db: Db,
  submission: { purpose: "graded" | "practice" | "baseline"; studentDatasetId: string | null; kind: string; status: string },
  assignment: { courseId: string; config: Pick<AssignmentConfig, "score"> },
  hasScore: boolean,
): Promise<DatasetScoreState | null> {
  if (!submission.studentDatasetId) return null;
  const [dataset, baseline] = await Promise.all([
    findOwnDataset(db, assignment.courseId, submission.studentDatasetId),
    datasetBaseline(db, submission.studentDatasetId),
  ]);
  const improvement = assignment.config.score.kind === "improvement";
  const metric = assignment.config.score.metric;
  return {
    datasetId: dataset.id,
    datasetName: dataset.name,
    purpose: submission.purpose,
    baseline: baseline && {
      submissionId: baseline.submissionId,
      status: baseline.status,
      errorMessage: baseline.errorMessage,
      metric,
      value: baseline.report?.metrics ? metricValue(baseline.report.metrics.all, metric) : null,
    },
    waitingForBaseline: improvement && submission.purpose === "graded" && submission.status === "succeeded" && !hasScore,
    hadTestImages: submission.kind === "model",
  };
}
