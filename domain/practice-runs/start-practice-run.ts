import type { Db } from "@/db";
import { effectiveAssignmentConfig } from "@/db/queries/assignments/effective-assignment-config";
import { isEnrolled } from "@/db/queries/courses/enroll";
import { findOwnDataset } from "@/db/queries/own-datasets/find-own-dataset";
import { ownDatasetsOf } from "@/grader/assignment/schema";
import type { GradeQueue } from "@/grader/queue/grade-queue";
import { submitForGrading, type SubmissionContent } from "@/grader/queue/submit-for-grading";
import { ConflictError, NotFoundError } from "@/lib/errors";

export interface StartedPracticeRun {
  id: string;
  queuePosition: number | null;
  /** The same start again (idempotency key): `id` is the first one's run. */
  replayed: boolean;
}

/**
 * Starts an ungraded practice run of a spec on a student's own dataset: only the dataset's owner may (anyone else,
 * instructors included, gets the same 404 as for a dataset that does not exist), and only while enrolled in its
 * course. The spec is checked against the dataset's classes and input size (runAssignmentConfig, through
 * submitForGrading), the run has the practice quota (`ownDatasets.dailyPracticeRuns`) and queues behind graded work.
 * It never counts for the assignment: leaderboard, gradebook and LTI read graded submissions only.
 * @throws NotFoundError | ConflictError | SpecValidationError | SpecOverBudgetError | SubmissionLimitError
 */
export async function startPracticeRun(
  db: Db,
  user: { id: string },
  input: { courseId: string; datasetId: string; content: Extract<SubmissionContent, { kind: "spec" }>; idempotencyKey?: string | null },
  deps: { queue: GradeQueue | null },
): Promise<StartedPracticeRun> {
  const dataset = await findOwnDataset(db, input.courseId, input.datasetId);
  if (dataset.userId !== user.id) throw new NotFoundError("There is no such dataset.");
  if (!(await isEnrolled(db, dataset.courseId, user.id))) throw new NotFoundError("There is no such dataset.");
  const config = await effectiveAssignmentConfig(db, dataset.assignmentId);
  if (!config || !ownDatasetsOf(config)) throw new ConflictError("This assignment no longer takes practice runs on your own datasets.");
  const { submission, queuePosition, replayed } = await submitForGrading(
    db,
    {
      assignmentId: dataset.assignmentId, userId: user.id, content: input.content, idempotencyKey: input.idempotencyKey,
      purpose: "practice", studentDatasetId: dataset.id,
    },
    deps,
  );
  return { id: submission.id, queuePosition, replayed };
}
