"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { regenerateJoinCode } from "@/db/queries/courses/regenerate-join-code";
import { defineAction } from "@/app/_lib/auth/action";

/** Instructor only: replaces a course's join code (e.g. after it was posted publicly). */
export const regenerateJoinCodeAction = defineAction(
  { role: "instructor", input: z.object({ courseId: z.string().min(1) }), course: (i) => ({ courseId: i.courseId }) },
  async ({ courseId }) => {
    const joinCode = await regenerateJoinCode(await getDb(), courseId);
    revalidatePath("/instructor");
    return { joinCode };
  },
);
