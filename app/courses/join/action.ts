"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { joinCourseByCode } from "@/db/queries/courses/enroll";
import { defineAction } from "@/app/_lib/auth/action";

const joinSchema = z.object({
  code: z.string().trim().min(4, "Enter the join code from your instructor.").max(32),
});

/**
 * Joins a course by its code, as a student: the code is what students are given, so it must not make
 * an instructor account (of some other course) an instructor of this one. A course's instructors
 * are enrolled as such by the content seed.
 */
export const joinCourseAction = defineAction({ role: "any", input: joinSchema }, async ({ code }, user) => {
  const course = await joinCourseByCode(await getDb(), code, user.id, "student");
  revalidatePath(`/courses/${course.slug}`);
  return { slug: course.slug };
});
