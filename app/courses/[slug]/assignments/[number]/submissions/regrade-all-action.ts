"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { regradeAllSubmissions } from "@/db/queries/submissions/regrade-submission";
import { enqueueRegrades } from "./enqueue-regrades";

const regradeAllInput = z.object({ assignmentId: z.string().uuid("No such assignment.") });

/** Instructor only: regrades every finished submission of an assignment (earlier reports kept). */
export const regradeAllAction = defineAction({ role: "instructor", input: regradeAllInput, course: (i) => ({ assignmentId: i.assignmentId }) }, async ({ assignmentId }) => {
  const ids = await regradeAllSubmissions(await getDb(), assignmentId);
  await enqueueRegrades(ids);
  revalidatePath("/courses/[slug]/assignments/[number]/submissions", "page");
  return { count: ids.length };
});
