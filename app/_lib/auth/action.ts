import { z } from "zod";
import { getDb } from "@/db";
import { teachesCourseOf, type CourseTarget } from "@/db/queries/courses/course-access";
import { getCurrentUser, type CurrentUser } from "./session";
import { issuesOf, userErrorAnswer } from "@/app/_lib/http/user-error";

/** What every server action returns: data, or an error with per-field messages for the form. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; error: string; issues?: { path: string; message: string }[] };

/**
 * Wraps a server action: checks who is asking (on the server, every call) and validates the input
 * with zod before the handler runs. Errors a user can cause come back as values, never as a 500.
 */
export function defineAction<S extends z.ZodTypeAny, T>(
  opts: {
    role: "any" | "instructor";
    input: S;
    /**
     * For instructor actions on one course's data: what the input acts on. The caller must teach
     * that course (be enrolled in it as an instructor); an instructor of another course gets a 403.
     */
    course?: (input: z.infer<S>) => CourseTarget;
  },
  handler: (input: z.infer<S>, user: CurrentUser) => Promise<T>,
) {
  return async (raw: unknown): Promise<ActionResult<T>> => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, status: 401, error: "Sign in to continue." };
    if (opts.role === "instructor" && user.role !== "instructor") {
      return { ok: false, status: 403, error: "Only instructors can do this." };
    }
    const parsed = opts.input.safeParse(raw instanceof FormData ? Object.fromEntries(raw) : raw);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error.issues);
      return { ok: false, status: 422, error: issues[0]?.message ?? "Invalid input.", issues };
    }
    if (opts.course && !(await teachesCourseOf(await getDb(), user.id, opts.course(parsed.data)))) {
      return { ok: false, status: 403, error: "Only the instructors of this course can do this." };
    }
    try {
      return { ok: true, data: await handler(parsed.data, user) };
    } catch (err) {
      const answer = userErrorAnswer(err);
      if (answer) return { ok: false, ...answer };
      console.error("[action] unexpected error:", err);
      throw err;
    }
  };
}
