import { and, count, eq, gte, ne } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { submissions } from "@/db/schema";
import type { SubmissionPurpose } from "@/db/schema/grading";

/** Midnight UTC that begins `now`'s day: the daily quotas count from it. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * How many of a student's submissions to an assignment since `dayStart` count towards the daily quota: refused
 * specs and runs that failed on our side do not. The one rule for the quota: createSubmission enforces it with this
 * count (under its lock), and submissionsLeftToday shows what is left of it. Each purpose has its own quota:
 * graded submissions (the default) and practice runs on the student's own datasets are counted apart.
 */
export async function quotaUsedSince(
  db: Db | Tx,
  who: { assignmentId: string; userId: string; purpose?: SubmissionPurpose },
  dayStart: Date,
): Promise<number> {
  const [{ used }] = await db
    .select({ used: count() })
    .from(submissions)
    .where(
      and(
        eq(submissions.userId, who.userId),
        eq(submissions.assignmentId, who.assignmentId),
        eq(submissions.purpose, who.purpose ?? "graded"),
        gte(submissions.createdAt, dayStart),
        eq(submissions.countsTowardQuota, true),
        ne(submissions.status, "rejected"),
      ),
    );
  return used;
}
