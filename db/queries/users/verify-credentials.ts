import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { burnPasswordCheck, verifyPassword } from "@/app/_lib/auth/password";
import { clearLoginFailures, loginLockedForSeconds, recordLoginFailure } from "./rate-limit-login";

export type CredentialsResult =
  | { ok: true; user: { id: string; email: string; name: string; role: "student" | "instructor" } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

/** One message for an unknown email and a wrong password: sign-in never reveals which accounts exist. */
export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect.";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks an email and password. Failures are counted per email and per client address
 * (`clientKey`), and either key being over the limit locks sign-in for the window.
 */
export async function verifyCredentials(
  db: Db,
  emailInput: string,
  password: string,
  clientKey: string,
): Promise<CredentialsResult> {
  const email = normaliseEmail(emailInput);
  const keys = [`email:${email}`, `client:${clientKey}`];
  for (const key of keys) {
    const wait = await loginLockedForSeconds(db, key);
    if (wait > 0) return { ok: false, reason: "locked", retryAfterSeconds: wait };
  }
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await burnPasswordCheck(password), false);
  if (!user || !valid) {
    for (const key of keys) await recordLoginFailure(db, key);
    return { ok: false, reason: "invalid" };
  }
  await clearLoginFailures(db, `email:${email}`);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
