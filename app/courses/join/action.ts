"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
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

/**
 * The join form's action: the same join, then a redirect to the course. As a form action it also works before the
 * page's JavaScript has loaded (the browser posts the form to it), where a submit handler would not run and a click
 * on Join would only reload the page.
 * @returns the message to show when the code is refused
 */
export async function joinCourseFormAction(_previous: string | null, form: FormData): Promise<string | null> {
  const res = await joinCourseAction({ code: String(form.get("code") ?? "") });
  if (!res.ok) return res.error;
  redirect(`/courses/${res.data.slug}`);
}
