import { EventEmitter } from "node:events";
import type { GradingProgress } from "@/grader/contracts/grading-progress";

/**
 * What the web learns about a submission while it is graded. `progress` carries the grader's
 * GradingProgress (parsed where it entered this process: the child's IPC message, or Redis);
 * `status` announces a lifecycle change, whose details the listener reads from Postgres, the source of truth.
 */
export type SubmissionEvent =
  | { type: "progress"; submissionId: string; progress: GradingProgress }
  | { type: "status"; submissionId: string };

type Listener = (event: SubmissionEvent) => void;

interface Bus {
  emitter: EventEmitter;
}

const globalForBus = globalThis as unknown as { tgSubmissionEvents?: Bus };

/**
 * One emitter per process, kept on `globalThis` because Next.js bundles instrumentation and each
 * route separately: module-level state would give every bundle its own, disconnected bus.
 */
function bus(): Bus {
  if (!globalForBus.tgSubmissionEvents) {
    const emitter = new EventEmitter();
    // Every open SSE connection adds a listener; hundreds of students watching is normal.
    emitter.setMaxListeners(0);
    globalForBus.tgSubmissionEvents = { emitter };
  }
  return globalForBus.tgSubmissionEvents;
}

const channel = (submissionId: string) => `submission:${submissionId}`;
const SUBMITTED = "submitted";

/** Delivers an event to this process's listeners of that submission. */
export function publishSubmissionEvent(event: SubmissionEvent): void {
  bus().emitter.emit(channel(event.submissionId), event);
}

/**
 * Listens to one submission's events; returns the function that stops listening. A listener that
 * throws (say, an SSE stream whose browser just went away) is logged and cut off from that event
 * only: the error must not travel back into the grader that published it and take its process down.
 */
export function subscribeSubmissionEvents(submissionId: string, listener: Listener): () => void {
  const { emitter } = bus();
  const isolated: Listener = (event) => {
    try {
      listener(event);
    } catch (err) {
      console.error(`[events] a listener of submission ${submissionId} failed:`, (err as Error).message);
    }
  };
  emitter.on(channel(submissionId), isolated);
  return () => emitter.off(channel(submissionId), isolated);
}

/** Tells an in-process runner that a submission was committed, so it need not wait for its next poll. */
export function announceSubmitted(): void {
  bus().emitter.emit(SUBMITTED);
}

/** Runs `listener` whenever `announceSubmitted` is called in this process. */
export function onSubmitted(listener: () => void): () => void {
  const { emitter } = bus();
  emitter.on(SUBMITTED, listener);
  return () => emitter.off(SUBMITTED, listener);
}
