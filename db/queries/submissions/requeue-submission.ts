import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import { runningByWorker } from "./running-submission";

/**
 * Hands a running submission back: `running → queued`. Used after an infrastructure failure (it
 * will be retried) and on graceful shutdown. A shutdown is not the submission's fault, so
 * `refundAttempt` gives the attempt back; a crash keeps it counted so a submission that kills every
 * worker still runs out of attempts. `reason` stays visible until the next attempt starts.
 */
export async function requeueSubmission(
  db: Db,
  submissionId: string,
  workerId: string,
  opts: { reason: string; refundAttempt: boolean },
): Promise<boolean> {
  const rows = await db
    .update(submissions)
    .set({
      status: "queued",
      workerId: null,
      heartbeatAt: null,
      errorMessage: opts.reason,
      ...(opts.refundAttempt ? { attempts: sql`greatest(${submissions.attempts} - 1, 0)` } : {}),
    })
    .where(runningByWorker(submissionId, workerId))
    .returning({ id: submissions.id });
  return rows.length === 1;
}

/**
 * Finds `running` submissions whose worker stopped sending heartbeats `staleAfterMs` ago (killed,
 * lost its host) and hands them back to the queue; those already started `maxAttempts` times are
 * failed instead, with a reason, so a submission that crashes every worker cannot loop forever.
 * Both updates keep the staleness condition, so a worker that heartbeats in between keeps its row.
 */
export async function requeueStaleSubmissions(
  db: Db,
  opts: { staleAfterMs: number; maxAttempts: number },
): Promise<{ requeued: string[]; failed: string[] }> {
  const stale = and(
    eq(submissions.status, "running"),
    lt(submissions.heartbeatAt, sql`now() - make_interval(secs => ${opts.staleAfterMs / 1000})`),
  );
  const failed = await db
    .update(submissions)
    .set({
      status: "failed",
      errorMessage:
        `Grading stopped: the grader running this submission died ${opts.maxAttempts} times in a row ` +
        `(for example out of memory). This run does not count against your quota; try a smaller model.`,
      countsTowardQuota: false,
      finishedAt: sql`now()`,
      workerId: null,
    })
    .where(and(stale, gte(submissions.attempts, opts.maxAttempts)))
    .returning({ id: submissions.id });
  const requeued = await db
    .update(submissions)
    .set({
      status: "queued",
      workerId: null,
      heartbeatAt: null,
      errorMessage: "The grader running this submission stopped responding; it is queued again.",
    })
    .where(stale)
    .returning({ id: submissions.id });
  return { requeued: requeued.map((r) => r.id), failed: failed.map((r) => r.id) };
}
