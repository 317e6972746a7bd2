import { z } from "zod";

/** What a resource link can open: a lesson, its quiz, or its assignment (by lesson number). */
export const targetSchema = z.object({
  kind: z.enum(["lesson", "quiz", "assignment"]),
  number: z.number().int().min(1).max(999),
});
export type LtiTarget = z.infer<typeof targetSchema>;

/** The custom parameter a deep-linked resource link carries, e.g. `assignment:6`. */
export const TARGET_CUSTOM_PARAM = "tg_target";

export function formatTarget(t: LtiTarget): string {
  return `${t.kind}:${t.number}`;
}

/** `assignment:6` → the target; anything else → null. */
export function parseTarget(value: unknown): LtiTarget | null {
  if (typeof value !== "string") return null;
  const m = value.match(/^(lesson|quiz|assignment):(\d{1,3})$/);
  if (!m) return null;
  const parsed = targetSchema.safeParse({ kind: m[1], number: Number(m[2]) });
  return parsed.success ? parsed.data : null;
}

/** The Tensorgrade page a target opens, in the course at `/courses/<slug>` (the course page without a target). */
export function targetPath(t: LtiTarget | null, courseSlug: string): string {
  const base = `/courses/${encodeURIComponent(courseSlug)}`;
  if (!t) return base;
  if (t.kind === "lesson") return `${base}/lessons/${t.number}`;
  if (t.kind === "quiz") return `${base}/lessons/${t.number}/quiz`;
  return `${base}/assignments/${t.number}`;
}

/** Quizzes and assignments get a line item in the LMS gradebook; lessons do not. */
export const isGradable = (t: LtiTarget) => t.kind !== "lesson";
