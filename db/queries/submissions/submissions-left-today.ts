import type { Db } from "@/db";
import { quotaUsedSince, startOfUtcDay } from "@/db/queries/submissions/quota-used-today";

/**
 * How many more submissions a student may make today (UTC), counted the way `createSubmission`
 * enforces the quota: rejected specs and runs that failed on our side do not count.
 */
export async function submissionsLeftToday(
  db: Db,
  /** `purpose` practice: what is left of the practice-run quota (graded, the default: of the graded one). */
  input: { assignmentId: string; userId: string; dailyLimit: number; purpose?: "graded" | "practice" },
  now: Date = new Date(),
): Promise<number> {
  const used = await quotaUsedSince(db, input, startOfUtcDay(now));
  return Math.max(0, input.dailyLimit - used);
}
