"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { createUser } from "@/domain/auth/create-user";
import type { ActionResult } from "@/app/_lib/auth/action";
import { issuesOf, userErrorAnswer } from "@/app/_lib/http/user-error";

const SIGN_UP_UNAVAILABLE_MESSAGE = "Sign-up is unavailable right now. Please try again in a few minutes.";

const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: z.string().trim().email("Enter a valid email address.").max(320),
  password: z
    .string()
    .min(10, "Use at least 10 characters for your password.")
    .max(1024, "Use at most 1024 characters."),
});

/** Creates a student account. Instructors are promoted by an existing instructor, never by sign-up. */
export async function signUpAction(input: unknown): Promise<ActionResult<{ email: string }>> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error.issues);
    return { ok: false, status: 422, error: issues[0].message, issues };
  }
  try {
    const user = await createUser(await getDb(), { ...parsed.data, role: "student" });
    return { ok: true, data: { email: user.email } };
  } catch (err) {
    const answer = userErrorAnswer(err);
    if (answer) return { ok: false, ...answer };
    // A failed query's message holds its SQL and parameters (the email and name): log only.
    console.error("[auth] sign-up could not be completed:", err);
    return { ok: false, status: 503, error: SIGN_UP_UNAVAILABLE_MESSAGE };
  }
}
