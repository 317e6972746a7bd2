"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { overrideScore, scoreOverrideInput } from "@/domain/grading/override-score";

/** Instructor only: overrides a submission's score, with a reason the student sees. */
export const overrideScoreAction = defineAction({ role: "instructor", input: scoreOverrideInput, course: (i) => ({ submissionId: i.submissionId }) }, async (input, user) => {
  await overrideScore(await getDb(), input, user.id);
  revalidatePath(`/submissions/${input.submissionId}`);
  return { score: input.score };
});
