import { and, asc, count, eq, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import type { SubmissionPurpose } from "@/db/schema/grading";

/**
 * The order queued submissions are taken in, by the BullMQ priorities (grader/queue/grade-job.ts) and the embedded
 * runner alike: graded submissions (and the platform baselines they wait for) first, then practice runs; oldest
 * first within each.
 */
export const queueOrder = [asc(sql`(${submissions.purpose} = 'practice')`), asc(submissions.createdAt), asc(submissions.id)];

/**
 * 1-based place of a queued submission among all queued submissions, in the order the queue serves them (graded
 * ones and baselines before practice runs, oldest first within each); null when it is not queued.
 */
export async function getQueuePosition(db: Db, submissionId: string): Promise<number | null> {
  const [row] = await db
    .select({ status: submissions.status, createdAt: submissions.createdAt, purpose: submissions.purpose })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  if (!row || row.status !== "queued") return null;
  const older = and(
    or(
      lt(submissions.createdAt, row.createdAt),
      and(eq(submissions.createdAt, row.createdAt), lt(submissions.id, submissionId)),
    ),
    row.purpose === "practice" ? eq(submissions.purpose, "practice") : ne(submissions.purpose, "practice"),
  );
  // A practice run also waits for every graded submission in the queue, whenever it came.
  const ahead = row.purpose === "practice" ? or(older, ne(submissions.purpose, "practice")) : older;
  const [{ n }] = await db
    .select({ n: count() })
    .from(submissions)
    .where(and(eq(submissions.status, "queued"), ahead));
  return n + 1;
}

/** Queued submissions with their purpose (for the job's priority), in queue order (the reconciler checks each has a live job). */
export async function listQueuedSubmissionIds(db: Db, limit: number): Promise<{ id: string; purpose: SubmissionPurpose }[]> {
  return db
    .select({ id: submissions.id, purpose: submissions.purpose })
    .from(submissions)
    .where(eq(submissions.status, "queued"))
    .orderBy(...queueOrder)
    .limit(limit);
}
