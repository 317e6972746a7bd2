import { QueueEvents } from "bullmq";
import { GRADE_QUEUE_NAME } from "./grade-job";
import { createRedisConnection } from "./redis-connection";
import { publishSubmissionEvent } from "./submission-events";

const globalForBridge = globalThis as unknown as { tgQueueEvents?: QueueEvents };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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
    if (isRecord(data)) publishSubmissionEvent({ type: "progress", submissionId: jobId, progress: data });
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
