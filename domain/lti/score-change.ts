import { passbackJobSchema, type PassbackJob, type ScoreChange } from "./passback-job";

/** Where this process's score changes go: the passback runner's queue (BullMQ or in-process), when one is started. */
export type PassbackSink = (job: PassbackJob) => Promise<void>;

const globalForSink = globalThis as unknown as { tgLtiPassbackSink?: PassbackSink };

/** Installs (or, with null, removes) the process's passback queue; domain/lti/passback-runner.ts does it. */
export function setPassbackSink(sink: PassbackSink | null): void {
  globalForSink.tgLtiPassbackSink = sink ?? undefined;
}

type ChangeInput = ScoreChange extends infer C ? (C extends ScoreChange ? Omit<C, "changedAt"> & { changedAt?: Date } : never) : never;

/**
 * Announces that a student's score changed, for LMS grade passback: call it where the change is
 * written, AFTER the transaction committed (the job may run at once and must find the rows). It
 * enqueues one job (BullMQ with Redis, the in-process runner without) and never throws: a change
 * that cannot be enqueued is logged, and the periodic reconciliation sends it later. In a process
 * without a passback runner (a script, most tests) it does nothing.
 */
export async function notifyScoreChange(input: ChangeInput): Promise<void> {
  const sink = globalForSink.tgLtiPassbackSink;
  if (!sink) return;
  const { changedAt, ...rest } = input;
  try {
    const job = passbackJobSchema.parse({ change: { ...rest, changedAt: (changedAt ?? new Date()).toISOString() } });
    await sink(job);
  } catch (err) {
    console.error(`[lti-passback] score change of ${input.userId} not enqueued (the reconciliation will send it):`, err instanceof Error ? err.message : err);
  }
}
