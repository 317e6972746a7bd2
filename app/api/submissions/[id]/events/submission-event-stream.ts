import { z } from "zod";
import type { CurrentUser } from "@/app/_lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import type { Db } from "@/db";
import type { Submission } from "@/db/queries/submissions/create-submission";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { getQueuePosition } from "@/db/queries/submissions/queue-position";
import { parseGradingProgress, parseProgressHistory } from "@/grader/contracts/grading-progress";
import { isFinalStatus } from "@/grader/contracts/submission-status";
import { formatStreamMessage, type SubmissionStatusView } from "@/grader/contracts/submission-stream";
import { subscribeSubmissionEvents } from "@/grader/queue/submission-events";
import { canViewSubmission } from "./can-view-submission";

/** Re-reads the row this often: queue position moves without events, and events can be missed. */
const DEFAULT_POLL_MS = 2_000;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

const submissionIdSchema = z.string().uuid();

async function statusView(db: Db, submission: Submission): Promise<SubmissionStatusView> {
  return {
    id: submission.id,
    status: submission.status,
    attempts: submission.attempts,
    queuePosition: await getQueuePosition(db, submission.id),
    // The column is written by the worker; read through the contract, an unreadable value is no progress.
    progress: parseGradingProgress(submission.progress),
    errorMessage: submission.errorMessage,
    startedAt: submission.startedAt?.toISOString() ?? null,
    finishedAt: submission.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Server-Sent Events for one submission: `history` (the curves so far) first, `status` (a
 * SubmissionStatusView) on connect and on every change, `progress` (the grader's GradingProgress) as
 * training goes; the stream ends after a final status. Only the owner and instructors may listen;
 * anyone else (and any malformed or unknown id) gets 404.
 * @see ../../../../../grader/contracts/submission-stream.ts
 */
export async function handleSubmissionEvents(
  req: Request,
  user: Pick<CurrentUser, "id" | "role">,
  rawId: string,
  db: Db,
  opts: { pollMs?: number } = {},
): Promise<Response> {
  const id = submissionIdSchema.safeParse(rawId);
  if (!id.success) throw new NotFoundError("No such submission.");
  const initial = await getSubmission(db, id.data);
  if (!initial || !canViewSubmission(user, initial)) throw new NotFoundError("No such submission.");

  const encoder = new TextEncoder();
  /** Ends the stream; `byConsumer` when the reader cancelled it (then it is already closed). */
  let stop: (byConsumer?: boolean) => void = () => undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let lastView = "";
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // The runtime closed or errored the stream (the browser left) before `cancel` reached us.
          stop(true);
        }
      };

      let refreshing: Promise<void> | null = null;
      const refresh = () => {
        refreshing ??= (async () => {
          try {
            const row = await getSubmission(db, id.data);
            if (!row) return stop();
            const view = formatStreamMessage("status", await statusView(db, row));
            if (view !== lastView) {
              lastView = view;
              write(view);
            }
            if (isFinalStatus(row.status)) stop();
          } catch (e) {
            // A database hiccup must not end the stream; the next poll tries again.
            console.error(`[sse] submission ${id.data}: refresh failed:`, (e as Error).message);
          } finally {
            refreshing = null;
          }
        })();
      };

      const unsubscribe = subscribeSubmissionEvents(id.data, (event) => {
        if (event.type === "progress") write(formatStreamMessage("progress", event.progress));
        // A status change is written at once: an in-flight poll may have read the row just before it.
        else void (refreshing ?? Promise.resolve()).then(refresh);
      });
      const poll = setInterval(refresh, opts.pollMs ?? DEFAULT_POLL_MS);
      const keepalive = setInterval(() => write(": keepalive\n\n"), KEEPALIVE_MS);
      const onAbort = () => stop();
      stop = (byConsumer = false) => {
        if (closed) return;
        closed = true;
        clearInterval(poll);
        clearInterval(keepalive);
        unsubscribe();
        req.signal.removeEventListener("abort", onAbort);
        if (!byConsumer) controller.close();
      };
      req.signal.addEventListener("abort", onAbort);
      // Tell the browser how long to wait before reconnecting after a dropped connection.
      write("retry: 3000\n\n");
      // The curves so far, read with the row checked above: a page opened mid-run draws them at once,
      // and the live events that follow continue them.
      write(formatStreamMessage("history", { points: parseProgressHistory(initial.progressHistory) }));
      refresh();
    },
    cancel() {
      stop(true);
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
