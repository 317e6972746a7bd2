import type { Db } from "@/db";
import { listQueuedSubmissionIds } from "@/db/queries/submissions/queue-position";
import { requeueStaleSubmissions } from "@/db/queries/submissions/requeue-submission";
import { enqueueGrading, type GradeQueue } from "@/grader/queue/grade-queue";

/** Job states in which BullMQ will (still) deliver the job: a queued row in one of them is covered. */
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);
/** Queued rows checked per pass; a backlog larger than this is covered over several passes. */
const RECONCILE_BATCH = 2_000;

export interface ReconcileResult {
  /** Running submissions whose worker went silent, put back to queued. */
  requeued: string[];
  /** Running submissions whose worker went silent for the last allowed time, failed. */
  failed: string[];
  /** Queued submissions that had no live job and were enqueued again. */
  enqueued: string[];
}

/**
 * Makes the queue agree with Postgres, the source of truth: running submissions whose worker
 * stopped heartbeating are handed back (or failed after the last attempt), and every queued
 * submission without a live BullMQ job (Redis flushed or restarted without persistence, an enqueue
 * lost between commit and `queue.add`, a job BullMQ gave up on) is enqueued again. Safe to run from
 * any number of workers at once: transitions are guarded and jobIds are submission ids.
 */
export async function reconcileOnce(opts: {
  db: Db;
  queue: GradeQueue | null;
  livenessMs: number;
  maxAttempts: number;
}): Promise<ReconcileResult> {
  const stale = await requeueStaleSubmissions(opts.db, {
    staleAfterMs: opts.livenessMs,
    maxAttempts: opts.maxAttempts,
  });
  const enqueued: string[] = [];
  if (opts.queue) {
    for (const { id, purpose } of await listQueuedSubmissionIds(opts.db, RECONCILE_BATCH)) {
      const state = await opts.queue.getJobState(id);
      if (LIVE_STATES.has(state)) continue;
      // A finished or failed job with this id would make `add` a no-op: clear it first.
      if (state !== "unknown") await opts.queue.remove(id);
      await enqueueGrading(opts.queue, id, purpose);
      enqueued.push(id);
    }
  }
  return { ...stale, enqueued };
}

/**
 * Runs `reconcileOnce` now and then every `intervalMs`, logging what it repaired. A failed pass
 * (database or Redis briefly away) is logged and retried on the next tick, never fatal.
 */
export function startReconciler(opts: Parameters<typeof reconcileOnce>[0] & {
  intervalMs: number;
  log?: (line: string) => void;
}): { stop(): Promise<void>; runNow(): Promise<void> } {
  const log = opts.log ?? ((line: string) => console.log(`[reconciler] ${line}`));
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = async () => {
    try {
      const r = await reconcileOnce(opts);
      if (r.requeued.length) log(`requeued ${r.requeued.length} submission(s) whose worker went silent`);
      if (r.failed.length) log(`failed ${r.failed.length} submission(s) that exhausted their attempts`);
      if (r.enqueued.length) log(`re-enqueued ${r.enqueued.length} queued submission(s) that had no live job`);
    } catch (e) {
      log(`pass failed, will retry: ${(e as Error).message}`);
    }
  };
  const tick = () => {
    if (stopped) return;
    running = running.then(pass);
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    async runNow() {
      tick();
      await running;
    },
  };
}
