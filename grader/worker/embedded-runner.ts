import type { Db } from "@/db";
import { claimNextQueuedSubmission } from "@/db/queries/submissions/claim-submission";
import { MAX_GRADING_ATTEMPTS } from "@/grader/queue/grade-job";
import { onSubmitted, publishSubmissionEvent } from "@/grader/queue/submission-events";
import { gradeClaimedSubmission, type GradeRunner } from "./grade-claimed-submission";
import { startReconciler } from "./reconciler";
import { newWorkerId } from "./worker-id";

export interface EmbeddedRunnerOptions {
  db: Db;
  /** Submissions graded at once (each in its own child process). */
  concurrency: number;
  livenessMs: number;
  grade: GradeRunner;
  /** How often an idle slot looks for queued rows when nobody announces a submission. */
  pollMs?: number;
  /** First pause after an infrastructure failure, doubled per attempt. */
  retryBackoffMs?: number;
  log?: (line: string) => void;
}

export interface EmbeddedRunner {
  workerId: string;
  /** Stops claiming; waits up to `graceMs` for running jobs, then hands them back to the queue. */
  stop(graceMs: number): Promise<void>;
}

const DEFAULT_POLL_MS = 2_000;
/** First pause after an infrastructure failure, doubled per attempt (BullMQ's backoff, by hand). */
const RETRY_BACKOFF_MS = 2_000;

/**
 * The grader without Redis: claims `queued` rows straight from the database (oldest first,
 * `for update skip locked`) and runs the same job lifecycle as the BullMQ worker, training in a
 * child process. Progress goes to the in-process event bus, where the SSE route listens.
 */
export function startEmbeddedRunner(opts: EmbeddedRunnerOptions): EmbeddedRunner {
  const workerId = newWorkerId("embedded");
  const log = opts.log ?? ((line: string) => console.log(`[embedded-grader] ${line}`));
  const shutdown = new AbortController();
  let stopping = false;
  // Idle slots wait here; a new submission (or stop) wakes them all at once.
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const w of [...waiters]) w();
  };
  const unsubscribe = onSubmitted(wakeAll);
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });

  const slot = async () => {
    while (!stopping) {
      let claimed;
      try {
        claimed = await claimNextQueuedSubmission(opts.db, workerId);
      } catch (e) {
        log(`could not claim (database unavailable?): ${(e as Error).message}`);
        await idle(opts.pollMs ?? DEFAULT_POLL_MS);
        continue;
      }
      if (!claimed) {
        await idle(opts.pollMs ?? DEFAULT_POLL_MS);
        continue;
      }
      publishSubmissionEvent({ type: "status", submissionId: claimed.id });
      try {
        const outcome = await gradeClaimedSubmission(
          {
            db: opts.db,
            workerId,
            livenessMs: opts.livenessMs,
            maxAttempts: MAX_GRADING_ATTEMPTS,
            grade: opts.grade,
            shutdownSignal: shutdown.signal,
            log,
            publishProgress: (progress) => publishSubmissionEvent({ type: "progress", submissionId: claimed.id, progress }),
          },
          claimed,
        );
        if (outcome.kind === "retry" && !stopping) await idle((opts.retryBackoffMs ?? RETRY_BACKOFF_MS) * 2 ** (claimed.attempts - 1));
      } catch (e) {
        // The outcome could not be written (database away): the row stays running, goes stale and
        // is requeued by the reconciler.
        log(`submission ${claimed.id}: could not record the outcome: ${(e as Error).message}`);
      } finally {
        publishSubmissionEvent({ type: "status", submissionId: claimed.id });
      }
    }
  };

  const reconciler = startReconciler({
    db: opts.db,
    queue: null,
    livenessMs: opts.livenessMs,
    maxAttempts: MAX_GRADING_ATTEMPTS,
    intervalMs: opts.livenessMs,
    log: (line) => log(`reconciler: ${line}`),
  });
  const slots = Array.from({ length: opts.concurrency }, () => slot());
  log(`started ${workerId} with ${opts.concurrency} slot(s)`);

  return {
    workerId,
    async stop(graceMs: number) {
      stopping = true;
      unsubscribe();
      wakeAll();
      const grace = setTimeout(() => shutdown.abort("shutdown"), graceMs);
      await Promise.all(slots);
      clearTimeout(grace);
      await reconciler.stop();
    },
  };
}
