import fc from "fast-check";
import { inject } from "vitest";
import { isUserError, type GraderUserError } from "@/grader/errors";

declare module "vitest" {
  export interface ProvidedContext {
    /** Cases per property, from `npm run fuzz -- --runs N` (tests/fuzz/run-fuzz.ts); unset under `npm test`. */
    fuzzRuns?: number;
    /** Seed for fast-check; unset under `npm run fuzz` unless `--seed` is given, so each fuzz run explores anew. */
    fuzzSeed?: number;
  }
}

/** Under `npm test`: few cases and a fixed seed, so the suite is quick and a failure reproduces as it is. */
const DEFAULT_RUNS = 150;
const DEFAULT_SEED = 20261202;

/** Any one case taking longer than this is a failure: every check must be linear in its input, which is small here. */
export const CASE_TIME_LIMIT_MS = 2_000;

/**
 * fast-check parameters for one property. `weight` scales the run count for properties whose cases are costlier
 * (archives written to disk) or cheaper than the rest.
 */
export function fuzzParameters(weight = 1): fc.Parameters<unknown> {
  const provided = inject("fuzzRuns");
  const fuzzing = provided !== undefined;
  const runs = Math.max(1, Math.round((provided ?? DEFAULT_RUNS) * weight));
  const seed = inject("fuzzSeed") ?? (fuzzing ? undefined : DEFAULT_SEED);
  return { numRuns: runs, ...(seed === undefined ? {} : { seed }), endOnFailure: true };
}

/** What one call did: returned a value, or threw a typed user error; and how long it took. */
export type Outcome<T> = ({ ok: true; value: T } | { ok: false; error: GraderUserError }) & { ms: number };

/**
 * Runs `fn` and sorts what happens. Anything thrown that is not a typed user error is rethrown, so the property
 * fails on it (that is the bug: a crash where the student should have been told what to fix).
 */
export function attempt<T>(fn: () => T): Outcome<T> {
  const start = performance.now();
  try {
    const value = fn();
    return { ok: true, value, ms: performance.now() - start };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { ok: false, error: e, ms: performance.now() - start };
  }
}

/** `attempt` for promises (the zip reader). */
export async function attemptAsync<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  const start = performance.now();
  try {
    const value = await fn();
    return { ok: true, value, ms: performance.now() - start };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { ok: false, error: e, ms: performance.now() - start };
  }
}
