"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { gradeRubric } from "@/domain/grading/grade-rubric";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { NotFoundError } from "@/lib/errors";

/**
 * Points per criterion arrive as `score.<criterion id>` form fields; the rubric itself checks them.
 * `confirmNoReport` is the form's "Grade it anyway" box (a boolean, or the checkbox's "yes" when posted as form data).
 */
const rubricInput = z
  .object({
    submissionId: z.string().uuid("No such submission."),
    comment: z.string().max(5000).optional(),
    confirmNoReport: z.union([z.boolean(), z.literal("yes").transform(() => true)]).optional(),
  })
  .passthrough();

/**
 * Instructor only: grades the written report against the rubric in assignment.yaml. A submission without a
 * written report is refused (422, the form's warning on `confirmNoReport`) unless the instructor confirmed it.
 */
export const gradeRubricAction = defineAction({ role: "instructor", input: rubricInput, course: (i) => ({ submissionId: i.submissionId }) }, async (input, user) => {
  const db = await getDb();
  const submission = await getSubmission(db, input.submissionId);
  if (!submission) throw new NotFoundError("No such submission.");
  const assignment = await findAssignmentById(db, submission.assignmentId);
  const scores: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (k.startsWith("score.")) scores[k.slice("score.".length)] = v;
  const grade = await gradeRubric(db, { submissionId: input.submissionId, scores, comment: input.comment, confirmNoReport: input.confirmNoReport === true }, assignment.config.rubric, user.id);
  revalidatePath(`/submissions/${input.submissionId}`);
  return { total: grade.total, maxTotal: grade.maxTotal };
});
