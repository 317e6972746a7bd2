import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { loginAttempts } from "@/db/schema";

/** Failed sign-ins allowed per key within one window. */
export const LOGIN_MAX_FAILURES = 5;
/** Length of the rate-limit window. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

/** Seconds until the key may try again, or 0 when it is not locked out. */
export async function loginLockedForSeconds(db: Db, key: string, now = new Date()): Promise<number> {
  const [row] = await db.select().from(loginAttempts).where(eq(loginAttempts.key, key));
  if (!row) return 0;
  const windowEnds = row.windowStart.getTime() + LOGIN_WINDOW_MS;
  if (windowEnds <= now.getTime() || row.failures < LOGIN_MAX_FAILURES) return 0;
  return Math.ceil((windowEnds - now.getTime()) / 1000);
}

/** Counts one failure; a window that has expired starts again at one. */
export async function recordLoginFailure(db: Db, key: string, now = new Date()): Promise<void> {
  const windowStartCutoff = new Date(now.getTime() - LOGIN_WINDOW_MS);
  await db
    .insert(loginAttempts)
    .values({ key, failures: 1, windowStart: now })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures: sql`case when ${loginAttempts.windowStart} < ${windowStartCutoff.toISOString()}::timestamptz then 1 else ${loginAttempts.failures} + 1 end`,
        windowStart: sql`case when ${loginAttempts.windowStart} < ${windowStartCutoff.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${loginAttempts.windowStart} end`,
      },
    });
}

export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, key));
}
