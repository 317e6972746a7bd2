import { Queue, Worker } from "bullmq";
import type { Db } from "@/db";
import { dueScoreSendIds, requeueStaleScoreSends } from "@/db/queries/lti/score-sends";
import { createRedisConnection, whenReady } from "@/grader/queue/redis-connection";
import { recordScoreChanges, sendScore } from "./grade-passback";
import { PASSBACK_QUEUE_NAME, passbackJobOptions, passbackJobSchema, type PassbackJob } from "./passback-job";

export interface PassbackRunnerOptions {
  db: Db;
  /** BullMQ on this Redis; unset: sends run in this process straight from the table. */
  redisUrl?: string;
  prefix?: string;
  /** How often scores are compared with what the LMS was last sent. */
  intervalMs: number;
  log?: (line: string) => void;
}

export interface PassbackRunner {
  /** Runs one scan now and waits for it (tests; the instructor's "send now"). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** A send left `sending` longer than this belongs to a process that died. */
const STALE_SENDING_MS = 2 * 60_000;
const SENDS_PER_TICK = 50;
const REDIS_READY_TIMEOUT_MS = 5_000;

/**
 * Grade passback in the background. Every `intervalMs` it records score changes (one row per
 * change, domain/lti/grade-passback.ts) and gets due rows sent: with Redis each becomes a BullMQ
 * job (jobId = send id; BullMQ retries with exponential back-off), without Redis this process sends
 * them itself, the row's `next_attempt_at` carrying the same back-off. Either way a send is claimed
 * with a guarded update, so a duplicate job or two web processes send a score once.
 */
export function startPassbackRunner(opts: PassbackRunnerOptions): PassbackRunner {
  const log = opts.log ?? ((line: string) => console.log(`[lti-passback] ${line}`));
  let queue: Queue<PassbackJob> | null = null;
  let producerReady: () => Promise<void> = async () => {};
  let worker: Worker<PassbackJob> | null = null;
  // BullMQ leaves connections handed to it open on close(); these are ours to quit.
  const connections: ReturnType<typeof createRedisConnection>[] = [];
  if (opts.redisUrl) {
    const prefix = opts.prefix ?? "tg";
    const producer = createRedisConnection(opts.redisUrl, "producer");
    const consumer = createRedisConnection(opts.redisUrl, "worker");
    connections.push(producer, consumer);
    // The producer has no offline queue (it fails fast when Redis is down); wait for it to connect first.
    producerReady = () => whenReady(producer, REDIS_READY_TIMEOUT_MS);
    queue = new Queue<PassbackJob>(PASSBACK_QUEUE_NAME, { connection: producer, prefix });
    queue.on("error", (err) => log(`queue redis error: ${err.message}`));
    worker = new Worker<PassbackJob>(
      PASSBACK_QUEUE_NAME,
      async (job) => {
        const { sendId } = passbackJobSchema.parse(job.data);
        const outcome = await sendScore(opts.db, sendId, new Date(), log);
        // The row is queued again; BullMQ's back-off decides when this job runs next.
        if (outcome === "retry") throw new Error(`send ${sendId} will be retried`);
        return outcome;
      },
      { connection: consumer, prefix, concurrency: 4 },
    );
    worker.on("error", (err) => log(`worker error: ${err.message}`));
    worker.on("failed", (job, err) => log(`job ${job?.id ?? "?"} failed: ${err.message}`));
  }

  let running: Promise<void> | null = null;
  let stopped = false;
  const scan = async () => {
    const now = new Date();
    await requeueStaleScoreSends(opts.db, new Date(now.getTime() - STALE_SENDING_MS));
    await recordScoreChanges(opts.db, now);
    const due = await dueScoreSendIds(opts.db, now, SENDS_PER_TICK);
    if (queue && due.length) await producerReady();
    for (const sendId of due) {
      if (queue) await queue.add(PASSBACK_QUEUE_NAME, passbackJobSchema.parse({ sendId }), passbackJobOptions(sendId));
      else await sendScore(opts.db, sendId, new Date(), log);
    }
  };
  const tick = () => {
    running ??= scan()
      .catch((err: unknown) => log(`scan failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, opts.intervalMs);
  timer.unref();
  log(`started (${queue ? "BullMQ" : "in-process"}, every ${opts.intervalMs} ms)`);
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await worker?.close();
      await queue?.close();
      for (const c of connections) if (c.status !== "end") await c.quit();
    },
  };
}
