import { and, count, eq, gte, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";

/**
 * How many more submissions a student may make today (UTC), counted the way `createSubmission`
 * enforces the quota: rejected specs and runs that failed on our side do not count.
 */
export async function submissionsLeftToday(
  db: Db,
  input: { assignmentId: string; userId: string; dailyLimit: number },
  now: Date = new Date(),
): Promise<number> {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [{ used }] = await db
    .select({ used: count() })
    .from(submissions)
    .where(
      and(
        eq(submissions.assignmentId, input.assignmentId),
        eq(submissions.userId, input.userId),
        gte(submissions.createdAt, dayStart),
        eq(submissions.countsTowardQuota, true),
        ne(submissions.status, "rejected"),
      ),
    );
  return Math.max(0, input.dailyLimit - used);
}
