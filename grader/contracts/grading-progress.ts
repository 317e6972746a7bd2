import { z } from "zod";

/**
 * A progress event of a running grading job. It crosses four process boundaries — training child →
 * worker (IPC) → Redis (BullMQ job progress) → web (SSE) → browser — and is stored in
 * `submissions.progress`; each side parses it with this schema on arrival. Never holds held-out data.
 */
export const gradingProgressSchema = z.object({
  phase: z.enum(["loading", "training", "evaluating"]),
  /** 1-based epoch across both phases of a transfer spec; 0 while loading or evaluating. */
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(0),
  /** 1-based batch within the epoch (images done while evaluating). */
  batch: z.number().int().min(0),
  batches: z.number().int().min(0),
  /** Running mean of the epoch so far (finite: a diverged job stops before reporting NaN). */
  loss: z.number().finite(),
  acc: z.number().finite(),
  /** Set on the event that closes an epoch (after its validation pass), with batch = batches. */
  epochEnd: z.boolean().optional(),
  /** Validation figures, on an epoch's closing event when there is a validation split. */
  valLoss: z.number().finite().optional(),
  valAcc: z.number().finite().optional(),
  /** Seconds until the job is done (evaluation included); absent while there is nothing to go on yet. */
  etaSeconds: z.number().finite().min(0).optional(),
  /** "head" or "fineTune" for transfer specs. */
  trainingPhase: z.enum(["head", "fineTune"]).optional(),
});
export type GradingProgress = z.infer<typeof gradingProgressSchema>;

/** A progress event, or null for anything that is not one (an old row, a foreign message). */
export function parseGradingProgress(raw: unknown): GradingProgress | null {
  const parsed = gradingProgressSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * One point of the live training curves: `epoch` is the epochs done so far, fractional within an
 * epoch (the running mean after a batch); an epoch's closing point is whole and carries validation.
 */
export const progressPointSchema = z.object({
  epoch: z.number().min(0),
  loss: z.number(),
  acc: z.number(),
  valLoss: z.number().nullable(),
  valAcc: z.number().nullable(),
});
export type ProgressPoint = z.infer<typeof progressPointSchema>;

/** Points kept for the curves before older batch points are thinned (epoch ends are always kept). */
export const MAX_PROGRESS_POINTS = 240;

/**
 * The curves so far of a running job, stored in `submissions.progress_history` beside the last event,
 * so a page opened mid-run draws them at once.
 */
export const progressHistorySchema = z.array(progressPointSchema).max(MAX_PROGRESS_POINTS);

/** The stored history, or none for anything unreadable. */
export function parseProgressHistory(raw: unknown): ProgressPoint[] {
  const parsed = progressHistorySchema.safeParse(raw);
  return parsed.success ? parsed.data : [];
}

/** The curve point a progress event adds, if any (loading, evaluating and empty batches add none). */
export function progressPoint(p: GradingProgress): ProgressPoint | null {
  if (p.phase !== "training" || p.epoch === 0) return null;
  if (p.epochEnd) return { epoch: p.epoch, loss: p.loss, acc: p.acc, valLoss: p.valLoss ?? null, valAcc: p.valAcc ?? null };
  if (p.batch === 0 || p.batches === 0) return null;
  return { epoch: p.epoch - 1 + p.batch / p.batches, loss: p.loss, acc: p.acc, valLoss: null, valAcc: null };
}

/** Halves the batch points (never an epoch's closing point, never the newest) while there are too many. */
function thin(points: ProgressPoint[], max: number): ProgressPoint[] {
  let out = points;
  while (out.length > max) {
    const before = out.length;
    out = out.filter((q, i) => q.valLoss !== null || Number.isInteger(q.epoch) || i % 2 === 0 || i === out.length - 1);
    if (out.length === before) out = out.slice(out.length - max);
  }
  return out;
}

/**
 * The curves after one more point. A point at or before the last one's position starts over from
 * there (a retried job trains again from epoch 1), so the curve never runs backwards.
 */
export function addProgressPoint(points: readonly ProgressPoint[], point: ProgressPoint, max = MAX_PROGRESS_POINTS): ProgressPoint[] {
  return thin([...points.filter((q) => q.epoch < point.epoch), point], max);
}

/**
 * The curves from a replayed history and the points that arrived live meanwhile: one point per
 * position, the live one winning, in order.
 */
export function mergeProgressPoints(history: readonly ProgressPoint[], live: readonly ProgressPoint[], max = MAX_PROGRESS_POINTS): ProgressPoint[] {
  const byEpoch = new Map<number, ProgressPoint>();
  for (const p of history) byEpoch.set(p.epoch, p);
  for (const p of live) byEpoch.set(p.epoch, p);
  return thin([...byEpoch.values()].sort((a, b) => a.epoch - b.epoch), max);
}

const PHASE_ORDER = { loading: 0, training: 1, evaluating: 2 } as const;

/**
 * Whether progress `a` comes before `b` within one run: by phase, then epoch, then batch (an epoch's closing event
 * after its last batch). A status message carries the row's last stored progress, which is written less often than
 * the live events: shown over a newer live event it would send the page back a few batches (and to "estimating").
 */
export function progressBefore(a: GradingProgress, b: GradingProgress): boolean {
  const key = (p: GradingProgress) => [PHASE_ORDER[p.phase], p.epoch, p.batch, p.epochEnd ? 1 : 0];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]!;
  return false;
}
