"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import {
  addProgressPoint,
  mergeProgressPoints,
  progressBefore,
  progressPoint,
  type GradingProgress,
  type ProgressPoint,
} from "@/grader/contracts/grading-progress";
import { isFinalStatus, type SubmissionStatus } from "@/grader/contracts/submission-status";
import { parseStreamMessage, type SubmissionStatusView } from "@/grader/contracts/submission-stream";
import { TrainingCurves } from "@/app/_components/charts/training-curves";

/** The fields of the SSE status message this panel uses (grader/contracts/submission-stream.ts). */
type StatusEvent = Pick<SubmissionStatusView, "status" | "queuePosition" | "progress" | "errorMessage">;

/** Fraction of the job done, from the phase and the epoch/batch counters. */
export function progressFraction(p: GradingProgress | null): number {
  if (!p) return 0;
  if (p.phase === "loading") return 0.02;
  if (p.phase === "evaluating") return 0.97;
  if (!p.epochs) return 0;
  const within = p.batches ? p.batch / p.batches : 0;
  return Math.min(0.95, Math.max(0.02, (Math.max(0, p.epoch - 1) + within) / p.epochs));
}

function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "estimating…";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The progress line of a training event: the epoch and batch, the running figures, the time left. */
function trainingLine(p: GradingProgress): string {
  const stage = p.trainingPhase ? ` (${p.trainingPhase === "head" ? "training the head" : "fine-tuning"})` : "";
  const figures = `loss ${p.loss.toFixed(4)} · accuracy ${(p.acc * 100).toFixed(1)}%`;
  const validation = p.valAcc !== undefined ? ` · validation accuracy ${(p.valAcc * 100).toFixed(1)}%` : "";
  const where = p.epochEnd ? `Epoch ${p.epoch} of ${p.epochs}${stage} done` : `Epoch ${p.epoch} of ${p.epochs}${stage}, batch ${p.batch} of ${p.batches}`;
  return `${where} · ${figures}${validation} · time left ${formatEta(p.etaSeconds)}`;
}

/** What the status line says (the only part of the panel a screen reader announces as it changes). */
function statusLine(status: SubmissionStatus, queuePosition: number | null): string {
  switch (status) {
    case "queued":
      return queuePosition !== null ? `Waiting in the queue: position ${queuePosition}` : "Waiting in the queue";
    case "running":
      return "Grading";
    case "succeeded":
      return "Graded: loading the report…";
    case "failed":
      return "Grading failed";
    case "rejected":
      return "Not accepted for grading";
  }
}

/**
 * Live grading status over Server-Sent Events: queue position while waiting, then a progress bar
 * (epoch, batch, time left) and the training curves, drawn from the run's history at once (a page
 * opened mid-run shows the curves so far) and growing with each event. Every message is parsed with
 * its contract on arrival. When the run ends the panel says so at once and the page re-renders on
 * the server to show the report (or the reason it failed). Only the status line is a live region:
 * batches are not announced.
 */
export function LiveStatus({ submissionId, initial, history }: { submissionId: string; initial: StatusEvent; history: ProgressPoint[] }) {
  const router = useRouter();
  const [status, setStatus] = useState<StatusEvent>(initial);
  const [progress, setProgress] = useState<GradingProgress | null>(initial.progress);
  const [points, setPoints] = useState<ProgressPoint[]>(history);
  const [connection, setConnection] = useState<"connecting" | "open" | "retrying">("connecting");

  useEffect(() => {
    const source = new EventSource(`/api/submissions/${submissionId}/events`);
    source.onopen = () => setConnection("open");
    source.onerror = () => setConnection("retrying");
    const parsed = <E extends "history" | "status" | "progress">(event: E, e: Event) => {
      try {
        return parseStreamMessage(event, (e as MessageEvent<string>).data);
      } catch (err) {
        // A message that does not fit its contract is skipped; the next status re-reads the row.
        console.warn(`[live-status] ignoring a malformed ${event} message:`, (err as Error).message);
        return null;
      }
    };
    source.addEventListener("history", (e) => {
      const message = parsed("history", e);
      if (message) setPoints((live) => mergeProgressPoints(message.points, live));
    });
    source.addEventListener("status", (e) => {
      const next = parsed("status", e);
      if (!next) return;
      setStatus(next);
      // The row's stored progress, never over a newer live event (a retried run's first live event resets it).
      if (next.progress) setProgress((shown) => (shown && progressBefore(next.progress!, shown) ? shown : next.progress));
      if (isFinalStatus(next.status)) {
        source.close();
        router.refresh();
      }
    });
    source.addEventListener("progress", (e) => {
      const p = parsed("progress", e);
      if (!p) return;
      setProgress(p);
      const point = progressPoint(p);
      if (point) setPoints((prev) => addProgressPoint(prev, point));
    });
    return () => source.close();
  }, [submissionId, router]);

  const finished = isFinalStatus(status.status);
  const fraction = status.status === "queued" ? 0 : status.status === "succeeded" ? 1 : progressFraction(progress);

  return (
    <section className="space-y-4 rounded-xl bg-white p-6 ring-1 ring-slate-200" data-testid="live-status" aria-labelledby="live-status-heading">
      <div className="flex flex-wrap items-baseline gap-4">
        <h2 id="live-status-heading" className="text-xl font-semibold" role="status" aria-live="polite" data-testid="live-status-line">
          {statusLine(status.status, status.queuePosition)}
        </h2>
        {!finished && <span className="ml-auto text-xs text-slate-500">{connection === "open" ? "live" : connection === "retrying" ? "reconnecting…" : "connecting…"}</span>}
      </div>
      <div>
        <div className="h-3 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="Grading progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
          <div className="h-full bg-brand-500 transition-all" style={{ width: `${Math.round(fraction * 100)}%` }} />
        </div>
        {progress && status.status === "running" && (
          <p className="mt-2 text-sm text-slate-700" data-testid="progress-text">
            {progress.phase === "loading" && "Loading the data and building the model…"}
            {progress.phase === "evaluating" && "Evaluating on the held-out set…"}
            {progress.phase === "training" && trainingLine(progress)}
          </p>
        )}
        {status.errorMessage && status.status !== "running" && <p className="mt-2 text-sm text-amber-700">{status.errorMessage}</p>}
      </div>
      {points.length > 0 && <TrainingCurves points={points} caption="Live training curves: the running mean of the epoch after each batch (solid), validation at each epoch's end (dashed)." />}
    </section>
  );
}
