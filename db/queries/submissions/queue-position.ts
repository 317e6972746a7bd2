import { and, asc, count, eq, lt, or } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";

/**
 * 1-based place of a queued submission among all queued submissions (oldest first, the order the
 * queue serves them in); null when it is not queued.
 */
export async function getQueuePosition(db: Db, submissionId: string): Promise<number | null> {
  const [row] = await db
    .select({ status: submissions.status, createdAt: submissions.createdAt })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  if (!row || row.status !== "queued") return null;
  const [{ ahead }] = await db
    .select({ ahead: count() })
    .from(submissions)
    .where(
      and(
        eq(submissions.status, "queued"),
        or(
          lt(submissions.createdAt, row.createdAt),
          and(eq(submissions.createdAt, row.createdAt), lt(submissions.id, submissionId)),
        ),
      ),
    );
  return ahead + 1;
}

/** Ids of queued submissions, oldest first (the reconciler checks each has a live job). */
export async function listQueuedSubmissionIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: submissions.id })
    .from(submissions)
    .where(eq(submissions.status, "queued"))
    .orderBy(asc(submissions.createdAt), asc(submissions.id))
    .limit(limit);
  return rows.map((r) => r.id);
}
