import type { Db } from "@/db";
import { findUserByEmail, normaliseEmail } from "@/db/queries/users/find-user-by-email";
import { beginLoginAttempt, CLIENT_BACKOFF, PAIR_BACKOFF, recordLoginSuccess } from "@/db/queries/users/rate-limit-login";
import { burnPasswordCheck, verifyPassword } from "./password";

export type CredentialsResult =
  | { ok: true; user: { id: string; email: string; name: string; role: "student" | "instructor" } }
  /** Wrong password or unknown email: the same answer, so sign-in never reveals which accounts exist. */
  | { ok: false; reason: "invalid" }
  /** This account from this client (or this client across accounts) must wait before trying again. */
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** The throttle keys of one attempt: this account from this client, and this client across accounts. */
export function loginThrottleKeys(email: string, client: string): { pair: string; client: string } {
  // An email cannot contain a space (normaliseEmail trims, the form requires a valid address), so
  // the pair key cannot collide with another (email, client).
  return { pair: `pair:${email} ${client}`, client: `client:${client}` };
}

/**
 * Checks an email and password from `client` (the caller's address, see app/_lib/auth/client-address.ts).
 * Failures slow down this (account, client) pair and, more loosely, this client across accounts
 * (rate-limit-login.ts); they never slow the same account from another client, so failures
 * cannot be used to keep the owner out. Unknown emails are throttled exactly like known ones.
 */
export async function verifyCredentials(
  db: Db,
  emailInput: string,
  password: string,
  client: string,
  now = new Date(),
): Promise<CredentialsResult> {
  const email = normaliseEmail(emailInput);
  const keys = loginThrottleKeys(email, client);
  const decision = await beginLoginAttempt(
    db,
    [
      { key: keys.pair, rule: PAIR_BACKOFF },
      { key: keys.client, rule: CLIENT_BACKOFF },
    ],
    now,
  );
  if (!decision.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: decision.retryAfterSeconds };
  const user = await findUserByEmail(db, email);
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await burnPasswordCheck(password), false);
  // The failure was charged by beginLoginAttempt already.
  if (!user || !valid) return { ok: false, reason: "invalid" };
  await recordLoginSuccess(db, [keys.pair], [keys.client]);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
