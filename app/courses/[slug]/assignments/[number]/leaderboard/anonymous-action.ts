"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { setLeaderboardAnonymous } from "@/db/queries/leaderboard/set-anonymous";

const anonymousInput = z.object({ assignmentId: z.string().uuid("No such assignment."), anonymous: z.boolean() });

/** Instructor only: show students' display names or anonymous handles on the leaderboard. */
export const setLeaderboardAnonymousAction = defineAction({ role: "instructor", input: anonymousInput, course: (i) => ({ assignmentId: i.assignmentId }) }, async ({ assignmentId, anonymous }) => {
  await setLeaderboardAnonymous(await getDb(), assignmentId, anonymous);
  revalidatePath("/courses/[slug]/assignments/[number]/leaderboard", "page");
  return { anonymous };
});
