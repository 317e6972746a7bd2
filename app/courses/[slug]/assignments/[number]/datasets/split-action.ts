"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { heldoutSplitInput, setHeldoutSplit } from "@/db/queries/datasets/set-heldout-split";

/** Instructor only: sets the held-out set's public/private split (fraction and seed). */
export const setHeldoutSplitAction = defineAction({ role: "instructor", input: heldoutSplitInput, course: (i) => ({ assignmentId: i.assignmentId }) }, async (input) => {
  await setHeldoutSplit(await getDb(), input);
  revalidatePath("/courses/[slug]/assignments/[number]/datasets", "page");
  return { publicFraction: input.publicFraction, splitSeed: input.splitSeed };
});
