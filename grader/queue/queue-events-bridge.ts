import { QueueEvents } from "bullmq";
import { parseGradingProgress } from "@/grader/contracts/grading-progress";
import { GRADE_QUEUE_NAME } from "./grade-job";
import { createRedisConnection } from "./redis-connection";
import { publishSubmissionEvent } from "./submission-events";

const globalForBridge = globalThis as unknown as { tgQueueEvents?: QueueEvents };


/**
 * Forwards BullMQ's queue-wide events (a worker's `job.updateProgress`, completion, failure) from
 * Redis into this process's submission event bus, where SSE connections listen. One QueueEvents
 * connection per web process, started on first use; jobIds are submission ids.
 */
export function startQueueEventsBridge(opts: { redisUrl: string; prefix: string }): QueueEvents {
  if (globalForBridge.tgQueueEvents) return globalForBridge.tgQueueEvents;
  const events = new QueueEvents(GRADE_QUEUE_NAME, {
    connection: createRedisConnection(opts.redisUrl, "worker"),
    prefix: opts.prefix,
  });
  events.on("error", (err) => console.error("[queue-events] redis error:", err.message));
  events.on("progress", ({ jobId, data }) => {
    // Parsed on arrival: Redis is a boundary, and anything that can reach it can write there.
    const progress = parseGradingProgress(data);
    if (progress) publishSubmissionEvent({ type: "progress", submissionId: jobId, progress });
    else console.error(`[queue-events] job ${jobId}: ignoring progress that is not a progress event`);
  });
  // Completion or failure of a job is a hint that the row changed; listeners re-read it.
  events.on("completed", ({ jobId }) => publishSubmissionEvent({ type: "status", submissionId: jobId }));
  events.on("failed", ({ jobId }) => publishSubmissionEvent({ type: "status", submissionId: jobId }));
  globalForBridge.tgQueueEvents = events;
  return events;
}

/** Closes the bridge (tests, shutdown). */
export async function stopQueueEventsBridge(): Promise<void> {
  const events = globalForBridge.tgQueueEvents;
  globalForBridge.tgQueueEvents = undefined;
  await events?.close();
}
