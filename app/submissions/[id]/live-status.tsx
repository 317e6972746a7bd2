"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import type { GradingProgress } from "@/grader/report/progress";
import { TrainingCurves, type CurvePoint } from "@/app/_components/charts/training-curves";

/** The fields of the SSE `status` event this panel uses (see app/api/submissions/[id]/events). */
interface StatusEvent {
  status: "queued" | "running" | "succeeded" | "failed" | "rejected";
  queuePosition: number | null;
  progress: unknown;
  errorMessage: string | null;
}

const FINAL = new Set(["succeeded", "failed", "rejected"]);
/** Batch points kept for the live curves before older ones are thinned. */
const MAX_LIVE_POINTS = 400;

function isProgress(p: unknown): p is GradingProgress {
  return typeof p === "object" && p !== null && "phase" in p && "epoch" in p;
}

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

/**
 * Live grading status over Server-Sent Events: queue position while waiting, then a progress bar
 * (epoch, batch, ETA) and the training curves growing epoch by epoch. When the run ends the page
 * re-renders on the server to show the report (or the reason it failed).
 */
export function LiveStatus({ submissionId, initial }: { submissionId: string; initial: StatusEvent }) {
  const router = useRouter();
  const [status, setStatus] = useState<StatusEvent>(initial);
  const [progress, setProgress] = useState<GradingProgress | null>(isProgress(initial.progress) ? initial.progress : null);
  const [points, setPoints] = useState<CurvePoint[]>([]);
  const [connection, setConnection] = useState<"connecting" | "open" | "retrying">("connecting");

  useEffect(() => {
    const source = new EventSource(`/api/submissions/${submissionId}/events`);
    source.onopen = () => setConnection("open");
    source.onerror = () => setConnection("retrying");
    source.addEventListener("status", (e) => {
      const next = JSON.parse((e as MessageEvent<string>).data) as StatusEvent;
      setStatus(next);
      if (isProgress(next.progress)) setProgress(next.progress);
      if (FINAL.has(next.status)) {
        source.close();
        router.refresh();
      }
    });
    source.addEventListener("progress", (e) => {
      const p = JSON.parse((e as MessageEvent<string>).data) as GradingProgress;
      setProgress(p);
      if (p.phase === "training" && p.epoch > 0 && (p.batch > 0 || p.valLoss !== undefined)) {
        // x = epochs done so far (fractional within an epoch); validation numbers arrive at each epoch's end.
        const x = p.valLoss !== undefined || !p.batches ? p.epoch : p.epoch - 1 + p.batch / p.batches;
        const point: CurvePoint = { epoch: x, loss: p.loss, acc: p.acc, valLoss: p.valLoss ?? null, valAcc: p.valAcc ?? null };
        setPoints((prev) => {
          const next = [...prev.filter((q) => q.epoch < x), point];
          // Keep the chart light on long runs: thin the batch points, never the epoch-end ones.
          return next.length > MAX_LIVE_POINTS ? next.filter((q, i) => q.valLoss !== null || i % 2 === 0 || i === next.length - 1) : next;
        });
      }
    });
    return () => source.close();
  }, [submissionId, router]);

  const fraction = status.status === "queued" ? 0 : progressFraction(progress);

  return (
    <section className="space-y-4 rounded-xl bg-white p-6 ring-1 ring-slate-200" aria-live="polite" data-testid="live-status">
      <div className="flex flex-wrap items-baseline gap-4">
        <h2 className="text-xl font-semibold">
          {status.status === "queued" ? "Waiting in the queue" : status.status === "running" ? "Grading" : "Finishing"}
        </h2>
        {status.status === "queued" && status.queuePosition !== null && (
          <span data-testid="queue-position" className="text-slate-600">Position {status.queuePosition} in the queue</span>
        )}
        <span className="ml-auto text-xs text-slate-500">{connection === "open" ? "live" : connection === "retrying" ? "reconnecting…" : "connecting…"}</span>
      </div>
      <div>
        <div className="h-3 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="Grading progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
          <div className="h-full bg-brand-500 transition-all" style={{ width: `${Math.round(fraction * 100)}%` }} />
        </div>
        {progress && status.status === "running" && (
          <p className="mt-2 text-sm text-slate-700" data-testid="progress-text">
            {progress.phase === "loading" && "Loading the data and building the model…"}
            {progress.phase === "evaluating" && "Evaluating on the held-out set…"}
            {progress.phase === "training" && (
              <>
                Epoch {progress.epoch} of {progress.epochs}
                {progress.trainingPhase ? ` (${progress.trainingPhase === "head" ? "training the head" : "fine-tuning"})` : ""}, batch {progress.batch} of {progress.batches} · loss {progress.loss.toFixed(4)} · accuracy {(progress.acc * 100).toFixed(1)}% · time left {formatEta(progress.etaSeconds)}
              </>
            )}
          </p>
        )}
        {status.errorMessage && status.status !== "running" && <p className="mt-2 text-sm text-amber-700">{status.errorMessage}</p>}
      </div>
      {points.length > 0 && <TrainingCurves points={points} caption="Live training curves: the running mean of the epoch after each batch (solid), validation at each epoch's end (dashed)." />}
    </section>
  );
}
