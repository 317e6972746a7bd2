"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { regradeSubmission } from "@/db/queries/submissions/regrade-submission";
import { enqueueRegrades } from "./enqueue-regrades";

const regradeInput = z.object({ submissionId: z.string().uuid("No such submission.") });

/** Instructor only: grades a finished submission again as its next run; the earlier report is kept. */
export const regradeAction = defineAction({ role: "instructor", input: regradeInput, course: (i) => ({ submissionId: i.submissionId }) }, async ({ submissionId }) => {
  const run = await regradeSubmission(await getDb(), submissionId);
  await enqueueRegrades([submissionId]);
  revalidatePath(`/submissions/${submissionId}`);
  revalidatePath("/courses/[slug]/assignments/[number]/submissions", "page");
  return { run };
});
