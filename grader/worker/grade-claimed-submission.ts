import type { Db } from "@/db";
import type { Submission } from "@/db/queries/submissions/create-submission";
import { completeGrading } from "@/domain/grading/complete-grading";
import { failSubmission } from "@/db/queries/submissions/fail-submission";
import { heartbeatSubmission } from "@/db/queries/submissions/heartbeat-submission";
import { requeueSubmission } from "@/db/queries/submissions/requeue-submission";
import { addProgressPoint, progressPoint, type GradingProgress, type ProgressPoint } from "@/grader/contracts/grading-progress";
import { isUserError } from "@/grader/errors";
import type { GradingReport } from "@/grader/report/schema";
import type { ChildGradeInput } from "./child-protocol";
import { loadGradeInput } from "./load-grade-input";
import { notifyScoreChange } from "@/domain/lti/score-change";

/** Runs the training of one submission somewhere else than the worker's event loop. */
export type GradeRunner = (
  input: ChildGradeInput,
  opts: { onProgress: (p: GradingProgress) => void; signal: AbortSignal; timeoutMs: number },
) => Promise<GradingReport>;

export interface GradingContext {
  db: Db;
  /** Identifies this worker in `submissions.worker_id` (host:pid:slot). */
  workerId: string;
  /** A silent worker is presumed dead after this long; heartbeats go out three times as often. */
  livenessMs: number;
  maxAttempts: number;
  grade: GradeRunner;
  /** Live fan-out of progress (BullMQ job progress, or the in-process event bus). */
  publishProgress?: (progress: GradingProgress) => void;
  /** Fires on worker shutdown: the job is handed back to the queue. */
  shutdownSignal?: AbortSignal;
  log?: (line: string) => void;
}

export type GradeOutcome =
  | { kind: "succeeded" }
  | { kind: "failed"; reason: string }
  /** Infrastructure failure; the row is queued again and the job should be redelivered later. */
  | { kind: "retry"; reason: string }
  /** Shutdown: the row is queued again, no attempt used. */
  | { kind: "handed-back" }
  /** Another worker owns the row now (this one was presumed dead); nothing was written. */
  | { kind: "taken-over" };

/** Stored progress is written at most this often (the live stream is not throttled by it). */
const PROGRESS_WRITE_INTERVAL_MS = 500;
/** Extra time beyond the assignment's wall-clock budget for loading data and evaluating. */
const TIMEOUT_SLACK_SECONDS = 120;
/** Hard stop at this multiple of the budget: the grader stops training itself at the budget. */
const TIMEOUT_BUDGET_FACTOR = 2;

const TAKEN_OVER = "another worker took this submission over";
const SHUTDOWN = "the worker is shutting down";

/**
 * The lifecycle of one claimed (`running`) submission, shared by the BullMQ worker and the embedded
 * runner: heartbeats while it trains, progress stored at most every 500 ms, then exactly one final
 * transition. User errors fail the submission for good; infrastructure errors requeue it until it
 * has been started `maxAttempts` times; a shutdown hands it back without using an attempt.
 * Every transition is guarded by "still running under this worker".
 */
export async function gradeClaimedSubmission(ctx: GradingContext, submission: Submission): Promise<GradeOutcome> {
  const { db, workerId } = ctx;
  const log = ctx.log ?? ((line: string) => console.log(`[grader ${workerId}] ${line}`));
  const stop = new AbortController();
  const onShutdown = () => stop.abort(SHUTDOWN);
  ctx.shutdownSignal?.addEventListener("abort", onShutdown, { once: true });
  if (ctx.shutdownSignal?.aborted) stop.abort(SHUTDOWN);

  let latest: GradingProgress | undefined;
  /** The curves so far, stored with the latest event: a page opened mid-run replays them. */
  let history: ProgressPoint[] = [];
  /** True while `latest` has not reached the database yet. */
  let unsaved = false;
  let lastWrite = 0;
  let writing = false;
  const beat = async (withProgress: boolean) => {
    if (writing) return;
    writing = true;
    const progress = withProgress && unsaved && latest ? { latest, history } : undefined;
    if (progress) unsaved = false;
    try {
      const stillOurs = await heartbeatSubmission(db, submission.id, workerId, progress);
      if (progress) lastWrite = Date.now();
      if (!stillOurs && !stop.signal.aborted) {
        log(`submission ${submission.id}: ${TAKEN_OVER}; stopping`);
        stop.abort(TAKEN_OVER);
      }
    } catch (e) {
      // The database being briefly away is survivable; if it stays away the row goes stale and
      // another worker takes over, which the guarded final update respects.
      log(`submission ${submission.id}: heartbeat failed: ${(e as Error).message}`);
    } finally {
      writing = false;
    }
  };
  const heartbeat = setInterval(() => void beat(latest !== undefined), Math.max(100, ctx.livenessMs / 3));

  try {
    const { input, wallClockSeconds } = await loadGradeInput(db, submission);
    const report = await ctx.grade(input, {
      signal: stop.signal,
      timeoutMs: (wallClockSeconds * TIMEOUT_BUDGET_FACTOR + TIMEOUT_SLACK_SECONDS) * 1000,
      onProgress: (p) => {
        latest = p;
        const point = progressPoint(p);
        if (point) history = addProgressPoint(history, point);
        unsaved = true;
        ctx.publishProgress?.(p);
        if (Date.now() - lastWrite >= PROGRESS_WRITE_INTERVAL_MS) void beat(true);
      },
    });
    if (stop.signal.aborted && stop.signal.reason === TAKEN_OVER) return { kind: "taken-over" };
    // The final epoch's figures stay readable after the job (a throttled write may have skipped them).
    while (writing) await new Promise((r) => setTimeout(r, 10));
    if (unsaved) await beat(true);
    const done = await completeGrading(db, submission, workerId, report);
    if (!done) return { kind: "taken-over" };
    // Committed: the student's assignment grade may have changed (LMS grade passback works out whether).
    await notifyScoreChange({ kind: "assignment", assignmentId: submission.assignmentId, userId: submission.userId });
    log(`submission ${submission.id}: succeeded (score ${report.score ? report.score.all.score.toFixed(1) : "awaiting its baseline"})`);
    return { kind: "succeeded" };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (stop.signal.aborted && stop.signal.reason === TAKEN_OVER) return { kind: "taken-over" };
    if (stop.signal.aborted && stop.signal.reason === SHUTDOWN) {
      const handed = await requeueSubmission(db, submission.id, workerId, {
        reason: "The grader restarted while grading this submission; it is queued again.",
        refundAttempt: true,
      });
      log(`submission ${submission.id}: handed back to the queue on shutdown`);
      return handed ? { kind: "handed-back" } : { kind: "taken-over" };
    }
    if (isUserError(e)) {
      const failed = await failSubmission(db, submission.id, workerId, message);
      log(`submission ${submission.id}: failed (${message})`);
      return failed ? { kind: "failed", reason: message } : { kind: "taken-over" };
    }
    log(`submission ${submission.id}: attempt ${submission.attempts} of ${ctx.maxAttempts} hit an infrastructure error: ${message}`);
    if (submission.attempts >= ctx.maxAttempts) {
      const reason =
        `Grading failed ${submission.attempts} times because of a problem on the grading servers (${message}). ` +
        `This run does not count against your quota; please submit again later.`;
      const failed = await failSubmission(db, submission.id, workerId, reason);
      return failed ? { kind: "failed", reason } : { kind: "taken-over" };
    }
    const requeued = await requeueSubmission(db, submission.id, workerId, {
      reason: `Attempt ${submission.attempts} hit a problem on the grading servers; it will be retried.`,
      refundAttempt: false,
    });
    return requeued ? { kind: "retry", reason: message } : { kind: "taken-over" };
  } finally {
    clearInterval(heartbeat);
    ctx.shutdownSignal?.removeEventListener("abort", onShutdown);
  }
}
