/**
 * How long after an attempt's deadline a submission is still accepted. The page submits itself when
 * its countdown reaches zero; this covers the request's trip to the server, not extra thinking time.
 */
export const SUBMIT_GRACE_MS = 30_000;

/** The deadline of an attempt started at `startedAt`, or null for an untimed quiz. */
export function attemptDeadline(startedAt: Date, timeLimitMinutes: number | null): Date | null {
  return timeLimitMinutes === null ? null : new Date(startedAt.getTime() + timeLimitMinutes * 60_000);
}

/** True once a submission at `now` would be too late for an attempt due at `deadline`. */
export function isPastDeadline(deadline: Date | null, now: Date): boolean {
  return deadline !== null && now.getTime() > deadline.getTime() + SUBMIT_GRACE_MS;
}
