import { and, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { loginAttempts } from "@/db/schema";

/**
 * How one throttle key slows down: the first `freeFailures` failures cost nothing (typos), each
 * later one doubles the wait before the next attempt — 1 s, 2 s, 4 s … — up to `maxWaitMs`.
 * A back-off, never a lock: however many failures pile up, the key may try again after `maxWaitMs`.
 */
export interface BackoffRule {
  freeFailures: number;
  maxWaitMs: number;
}

/**
 * One account from one client. This is the rule that stops password guessing, and it cannot be used
 * against the owner: the attacker's failures slow only the attacker's own (account, client) pair.
 */
export const PAIR_BACKOFF: BackoffRule = { freeFailures: 3, maxWaitMs: 5 * 60_000 };

/**
 * One client across all accounts (credential stuffing: one guess for each of many accounts). Looser,
 * because a campus or office NAT puts many honest students behind one address.
 */
export const CLIENT_BACKOFF: BackoffRule = { freeFailures: 30, maxWaitMs: 5 * 60_000 };

/**
 * There is deliberately no per-account ceiling across all clients: it would slow every client,
 * the owner's included, so anyone with a few addresses could again keep a student out before a
 * deadline. Guessing one account from many addresses is bounded per address by PAIR_BACKOFF (a few
 * free tries, then at most one every five minutes), and passwords are at least 10 characters and
 * argon2id-hashed, so a distributed online guess is far too slow to matter.
 */

/** A run of failures whose last failure is older than this is forgotten (its count starts again). */
export const LOGIN_FORGET_MS = 60 * 60_000;

/** Rows forgotten this long are swept, a few at a time, whenever an attempt is charged. */
const SWEEP_BATCH = 100;

const FIRST_WAIT_MS = 1000;

/** The wait after `failures` failures under `rule`, in milliseconds: 0 below `freeFailures`, then 1 s, 2 s, 4 s … */
export function backoffMs(failures: number, rule: BackoffRule): number {
  if (failures < rule.freeFailures) return 0;
  // Math.min also tames 2 ** (a large count) = Infinity.
  return Math.min(FIRST_WAIT_MS * 2 ** (failures - rule.freeFailures), rule.maxWaitMs);
}

export interface ThrottleKey {
  key: string;
  rule: BackoffRule;
}

export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Asks to try a password under every key at once. When every key is past its wait, the attempt is
 * charged to each key *before* the password is checked (so a burst of parallel requests cannot all
 * pass one check and then all guess); a success refunds it with `recordLoginSuccess`. When any key
 * must still wait, nothing is charged and the longest wait is returned. Rows are locked in key
 * order inside one transaction, so processes sharing the database agree on the counts.
 */
export async function beginLoginAttempt(db: Db, keys: ThrottleKey[], now = new Date()): Promise<AttemptDecision> {
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const forgetBefore = new Date(now.getTime() - LOGIN_FORGET_MS);
  const decision = await db.transaction(async (tx): Promise<AttemptDecision> => {
    // Make every row exist, then lock them: a lock on a row that does not exist yet would let
    // concurrent first attempts on a fresh key all see "no failures".
    await tx
      .insert(loginAttempts)
      .values(sorted.map(({ key }) => ({ key, failures: 0, lastFailureAt: now })))
      .onConflictDoNothing();
    const rows = await tx
      .select()
      .from(loginAttempts)
      .where(
        inArray(
          loginAttempts.key,
          sorted.map((k) => k.key),
        ),
      )
      .orderBy(loginAttempts.key)
      .for("update");
    let waitMs = 0;
    for (const { key, rule } of sorted) {
      const row = rows.find((r) => r.key === key);
      if (!row || row.lastFailureAt < forgetBefore) continue;
      const until = row.lastFailureAt.getTime() + backoffMs(row.failures, rule);
      waitMs = Math.max(waitMs, until - now.getTime());
    }
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    await tx
      .update(loginAttempts)
      .set({
        failures: sql`case when ${loginAttempts.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${loginAttempts.failures} + 1 end`,
        lastFailureAt: now,
      })
      .where(
        inArray(
          loginAttempts.key,
          sorted.map((k) => k.key),
        ),
      );
    return { allowed: true };
  });
  if (decision.allowed) await sweepForgottenRows(db, forgetBefore);
  return decision;
}

/**
 * Deletes a batch of rows whose runs are forgotten, so the table does not grow with every address
 * and email ever tried. Outside the attempt's transaction, skipping rows another attempt holds.
 */
async function sweepForgottenRows(db: Db, forgetBefore: Date): Promise<void> {
  const stale = db
    .select({ key: loginAttempts.key })
    .from(loginAttempts)
    .where(lt(loginAttempts.lastFailureAt, forgetBefore))
    .limit(SWEEP_BATCH)
    .for("update", { skipLocked: true });
  await db.delete(loginAttempts).where(and(inArray(loginAttempts.key, stale), lt(loginAttempts.lastFailureAt, forgetBefore)));
}

/**
 * The password was right: the keys in `clear` (the account's pair with this client: knowing the
 * password proves the failures were honest typos) start again, and the keys in `refund` (the
 * client across accounts) give back the charge of this attempt only. The client's count is never
 * cleared by a success, or an attacker could reset it by signing in to an account of their own.
 */
export async function recordLoginSuccess(db: Db, clear: string[], refund: string[]): Promise<void> {
  if (clear.length) await db.delete(loginAttempts).where(inArray(loginAttempts.key, clear));
  if (refund.length) {
    await db
      .update(loginAttempts)
      .set({ failures: sql`greatest(${loginAttempts.failures} - 1, 0)` })
      .where(inArray(loginAttempts.key, refund));
  }
}
