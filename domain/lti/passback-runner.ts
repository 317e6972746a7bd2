import { Queue, Worker } from "bullmq";
import type { Db } from "@/db";
import { dueScoreSendIds, requeueStaleScoreSends } from "@/db/queries/lti/score-sends";
import { createRedisConnection, whenReady } from "@/grader/queue/redis-connection";
import { recordScoreChange, recordScoreChanges, sendScore } from "./grade-passback";
import { MAX_SEND_ATTEMPTS, PASSBACK_QUEUE_NAME, passbackJobId, passbackJobOptions, passbackJobSchema, SEND_BACKOFF_MS, type PassbackJob } from "./passback-job";
import { setPassbackSink } from "./score-change";

export interface PassbackRunnerOptions {
  db: Db;
  /** BullMQ on this Redis; unset: jobs run in this process (the embedded default). */
  redisUrl?: string;
  prefix?: string;
  /** How often the safety-net reconciliation compares every linked gradebook with what was sent; 0: never. */
  reconcileIntervalMs: number;
  /** With Redis: false makes a producer only (a grader process enqueues, the web sends). */
  consume?: boolean;
  log?: (line: string) => void;
}

export interface PassbackRunner {
  /** Puts a job on the queue (what notifyScoreChange does through the sink). */
  enqueue(job: PassbackJob): Promise<void>;
  /** Runs one reconciliation now and waits for it (tests). */
  reconcile(): Promise<void>;
  /** In-process mode: resolves when no job is running or waiting for its retry (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** A send left `sending` longer than this belongs to a process that died. */
const STALE_SENDING_MS = 2 * 60_000;
const SENDS_PER_RECONCILE = 200;
const REDIS_READY_TIMEOUT_MS = 5_000;

class RetryLater extends Error {}

/**
 * Runs one passback job: a score change is worked out for its one student and the sends it records
 * are posted; a send id (found due by the reconciliation) is posted. Throws RetryLater when a send
 * must be tried again, so the queue's back-off decides when.
 */
async function runJob(db: Db, job: PassbackJob, log: (line: string) => void): Promise<void> {
  const ids = "sendId" in job ? [job.sendId] : await recordScoreChange(db, job.change);
  let retry = false;
  for (const id of ids) {
    // A send already sent (a redelivered job) or taken by another worker is "skipped".
    if ((await sendScore(db, id, new Date(), log)) === "retry") retry = true;
  }
  if (retry) throw new RetryLater(`job ${passbackJobId(job)}: a send will be retried`);
}

/**
 * LTI grade passback in the background, event-driven: every score change is a job, enqueued where
 * the change was written (domain/lti/score-change.ts) — a BullMQ job on Redis (jobId from the
 * change, exponential back-off, MAX_SEND_ATTEMPTS tries), or without Redis an in-process job with
 * the same back-off. A send is claimed with a guarded update and keyed by the change's timestamp, so
 * a duplicate job or two processes send a score once. Every `reconcileIntervalMs` a slow
 * reconciliation (recordScoreChanges) records what no job announced and re-enqueues due sends.
 */
export function startPassbackRunner(opts: PassbackRunnerOptions): PassbackRunner {
  const log = opts.log ?? ((line: string) => console.log(`[lti-passback] ${line}`));
  const consume = opts.consume ?? true;
  let queue: Queue<PassbackJob> | null = null;
  let producerReady: () => Promise<void> = async () => {};
  let worker: Worker<PassbackJob> | null = null;
  // BullMQ leaves connections handed to it open on close(); these are ours to quit.
  const connections: ReturnType<typeof createRedisConnection>[] = [];
  if (opts.redisUrl) {
    const prefix = opts.prefix ?? "tg";
    const producer = createRedisConnection(opts.redisUrl, "producer");
    connections.push(producer);
    // The producer has no offline queue (it fails fast when Redis is down); wait for it to connect first.
    producerReady = () => whenReady(producer, REDIS_READY_TIMEOUT_MS);
    queue = new Queue<PassbackJob>(PASSBACK_QUEUE_NAME, { connection: producer, prefix });
    queue.on("error", (err) => log(`queue redis error: ${err.message}`));
    if (consume) {
      const consumer = createRedisConnection(opts.redisUrl, "worker");
      connections.push(consumer);
      worker = new Worker<PassbackJob>(PASSBACK_QUEUE_NAME, (job) => runJob(opts.db, passbackJobSchema.parse(job.data), log), {
        connection: consumer,
        prefix,
        concurrency: 4,
      });
      worker.on("error", (err) => log(`worker error: ${err.message}`));
      worker.on("failed", (job, err) => {
        if (!(err instanceof RetryLater)) log(`job ${job?.id ?? "?"} failed: ${err.message}`);
      });
    }
  }

  // In-process jobs (no Redis): run at once, a retry after the same back-off BullMQ would wait.
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const idleWaiters: (() => void)[] = [];
  let stopped = false;
  const settleIdle = () => {
    if (pending.size === 0 && timers.size === 0) for (const w of idleWaiters.splice(0)) w();
  };
  const runInProcess = (job: PassbackJob, attempt: number) => {
    const p = runJob(opts.db, job, log)
      .catch((err: unknown) => {
        if (!(err instanceof RetryLater)) log(`job ${passbackJobId(job)} failed (try ${attempt}): ${err instanceof Error ? err.message : String(err)}`);
        if (stopped || attempt >= MAX_SEND_ATTEMPTS) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          runInProcess(job, attempt + 1);
        }, SEND_BACKOFF_MS * 2 ** (attempt - 1));
        timer.unref();
        timers.add(timer);
      })
      .finally(() => {
        pending.delete(p);
        settleIdle();
      });
    pending.add(p);
  };

  const enqueue = async (job: PassbackJob) => {
    const parsed = passbackJobSchema.parse(job);
    if (queue) {
      await producerReady();
      await queue.add(PASSBACK_QUEUE_NAME, parsed, passbackJobOptions(parsed));
    } else if (!stopped) {
      runInProcess(parsed, 1);
    }
  };

  let reconciling: Promise<void> | null = null;
  const reconcileOnce = async () => {
    const now = new Date();
    await requeueStaleScoreSends(opts.db, new Date(now.getTime() - STALE_SENDING_MS));
    const found = await recordScoreChanges(opts.db, now);
    const due = await dueScoreSendIds(opts.db, now, SENDS_PER_RECONCILE);
    if (found.length || due.length) log(`reconciliation: ${found.length} change(s) no job announced, ${due.length} send(s) due`);
    for (const sendId of due) await enqueue({ sendId });
  };
  const reconcile = () => {
    reconciling ??= reconcileOnce()
      .catch((err: unknown) => log(`reconciliation failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`))
      .finally(() => {
        reconciling = null;
      });
    return reconciling;
  };
  const timer = opts.reconcileIntervalMs > 0 && consume ? setInterval(() => void (stopped || reconcile()), opts.reconcileIntervalMs) : null;
  timer?.unref();
  setPassbackSink(enqueue);
  log(`started (${queue ? (consume ? "BullMQ" : "BullMQ, enqueue only") : "in-process"}${timer ? `, reconciliation every ${opts.reconcileIntervalMs} ms` : ""})`);
  return {
    enqueue,
    reconcile,
    idle: () => (pending.size === 0 && timers.size === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    async stop() {
      stopped = true;
      setPassbackSink(null);
      if (timer) clearInterval(timer);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await reconciling;
      await Promise.allSettled([...pending]);
      settleIdle();
      await worker?.close();
      await queue?.close();
      for (const c of connections) if (c.status !== "end") await c.quit();
    },
  };
}
