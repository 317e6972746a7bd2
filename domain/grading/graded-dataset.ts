import { z } from "zod";
import type { Db } from "@/db";
import { findOwnDataset } from "@/db/queries/own-datasets/find-own-dataset";
import { gradedDatasetChoiceRows, type GradedDatasetChoiceRow } from "@/db/queries/baselines/graded-dataset-choices";
import { isStudentDatasetMode, type AssignmentConfig } from "@/grader/assignment/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";

const FIELD = "studentDatasetId";
const idSchema = z.string().uuid();

/** The assignment a graded submission goes to, as far as choosing its dataset is concerned. */
export interface GradedAssignment {
  id: string;
  courseId: string;
  number: number;
  config: Pick<AssignmentConfig, "datasets">;
}

/**
 * The one rule on which dataset a graded submission may name. On a `datasets: student` assignment it must name
 * one, and only one of the submitter's own datasets uploaded for this assignment: another student's dataset, or
 * an id that is not one, is a 404 (as if it did not exist); none, or a dataset of another assignment, a 422 that
 * says what to do. On an assignment with the instructor's datasets a dataset is refused (422): its score is on the
 * held-out set.
 * @returns the dataset's id and owner, or null for an instructor-dataset assignment
 */
export async function gradedDatasetOf(
  db: Db,
  assignment: GradedAssignment,
  userId: string,
  raw: string | null,
): Promise<{ id: string; ownerId: string } | null> {
  if (!isStudentDatasetMode(assignment.config)) {
    if (raw === null) return null;
    const message = "This assignment is graded on the course's held-out set; it takes no dataset of your own.";
    throw new ValidationError(message, [{ path: FIELD, message }]);
  }
  if (raw === null) {
    const message = "Choose which of your datasets this submission is trained and scored on.";
    throw new ValidationError(message, [{ path: FIELD, message }]);
  }
  const id = idSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError("There is no such dataset.");
  const dataset = await findOwnDataset(db, assignment.courseId, id.data);
  // Instructors too may only submit on their own datasets: a graded run belongs to the dataset's owner.
  if (dataset.userId !== userId) throw new NotFoundError("There is no such dataset.");
  if (dataset.assignmentId !== assignment.id) {
    const message =
      `"${dataset.name}" was uploaded for Assignment ${dataset.assignmentNumber}; upload it again for Assignment ${assignment.number} ` +
      "(its budget and input sizes are this assignment's) and choose that copy.";
    throw new ValidationError(message, [{ path: FIELD, message }]);
  }
  return { id: dataset.id, ownerId: dataset.userId };
}

/** The datasets a student may choose for a graded submission to this assignment: their own, uploaded for it. */
export async function gradedDatasetChoices(db: Db, assignment: GradedAssignment, userId: string): Promise<GradedDatasetChoiceRow[]> {
  if (!isStudentDatasetMode(assignment.config)) return [];
  return gradedDatasetChoiceRows(db, assignment.id, userId);
}
