import { WaitingError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "@/db";
import { claimSubmission } from "@/db/queries/submissions/claim-submission";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { GRADE_QUEUE_NAME, MAX_GRADING_ATTEMPTS, parseGradeJobPayload, type GradeJobPayload } from "@/grader/queue/grade-job";
import { gradeClaimedSubmission, type GradeOutcome, type GradeRunner } from "./grade-claimed-submission";

export interface GradeWorkerOptions {
  db: Db;
  connection: Redis;
  prefix: string;
  workerId: string;
  /** Jobs graded at once by this process (each in its own child process). */
  concurrency: number;
  livenessMs: number;
  grade: GradeRunner;
  /** Aborted when the grace period of a shutdown runs out: running jobs are handed back. */
  shutdownSignal: AbortSignal;
  log?: (line: string) => void;
}

export type JobResult = GradeOutcome | { kind: "skipped"; status: string };

/**
 * A BullMQ worker that grades submissions. The processor itself is light (claim, heartbeat, write
 * the outcome); training runs in a child process, so lock renewal never starves. BullMQ's lock
 * duration and stall check follow the liveness setting, so a killed worker's job is redelivered
 * about as soon as its row is considered stale.
 */
export function createGradeWorker(opts: GradeWorkerOptions): Worker<GradeJobPayload, JobResult> {
  const log = opts.log ?? ((line: string) => console.log(`[grader ${opts.workerId}] ${line}`));

  const processor = async (job: Job<GradeJobPayload, JobResult>, token?: string): Promise<JobResult> => {
    const { submissionId } = parseGradeJobPayload(job.data);
    const claimed = await claimSubmission(opts.db, submissionId, opts.workerId);
    if (!claimed) {
      // Duplicate delivery, or a stale job for a row that already finished: nothing to do.
      const row = await getSubmission(opts.db, submissionId);
      log(`job ${job.id}: submission is ${row?.status ?? "gone"}, not queued; skipping`);
      return { kind: "skipped", status: row?.status ?? "missing" };
    }
    log(`submission ${submissionId}: attempt ${claimed.attempts} started`);
    const outcome = await gradeClaimedSubmission(
      {
        db: opts.db,
        workerId: opts.workerId,
        livenessMs: opts.livenessMs,
        maxAttempts: MAX_GRADING_ATTEMPTS,
        grade: opts.grade,
        shutdownSignal: opts.shutdownSignal,
        log,
        publishProgress: (p) => {
          job.updateProgress(p).catch((e: Error) => log(`job ${job.id}: progress not published: ${e.message}`));
        },
      },
      claimed,
    );
    if (outcome.kind === "retry") throw new Error(outcome.reason); // BullMQ redelivers with backoff
    if (outcome.kind === "handed-back") {
      // Back to the wait list at once for another worker, without counting a BullMQ attempt.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    return outcome;
  };

  const worker = new Worker<GradeJobPayload, JobResult>(GRADE_QUEUE_NAME, processor, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency,
    lockDuration: opts.livenessMs,
    stalledInterval: opts.livenessMs,
    // Postgres counts attempts; BullMQ must not give up on a stalled job before it does.
    maxStalledCount: MAX_GRADING_ATTEMPTS + 1,
    autorun: true,
  });
  worker.on("error", (err) => log(`worker error: ${err.message}`));
  worker.on("failed", (job, err) => {
    if (err instanceof WaitingError || err.name === "WaitingError") return;
    log(`job ${job?.id ?? "?"} failed (attempt ${job?.attemptsMade ?? "?"}): ${err.message}`);
  });
  worker.on("stalled", (jobId) => log(`job ${jobId} stalled (its worker stopped renewing the lock); redelivering`));
  return worker;
}
