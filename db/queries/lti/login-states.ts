import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiLoginStates } from "@/db/schema";

export type LtiLoginState = typeof ltiLoginStates.$inferSelect;

export async function createLoginState(
  db: Db,
  input: { state: string; nonce: string; platformId: string; loginParams: Record<string, string>; expiresAt: Date },
): Promise<void> {
  await db.insert(ltiLoginStates).values(input);
  // Expired states are of no use to anyone; each login sweeps them so the table stays small.
  await db.delete(ltiLoginStates).where(lt(ltiLoginStates.expiresAt, new Date(Date.now() - 60 * 60_000)));
}

export async function findLoginState(db: Db, state: string): Promise<LtiLoginState | null> {
  const [row] = await db.select().from(ltiLoginStates).where(eq(ltiLoginStates.state, state));
  return row ?? null;
}

/**
 * Marks the state used, once: a second launch with the same state (a replayed id_token) finds it
 * used and gets false, however the two requests interleave.
 */
export async function consumeLoginState(db: Db, state: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(ltiLoginStates)
    .set({ usedAt: now })
    .where(and(eq(ltiLoginStates.state, state), isNull(ltiLoginStates.usedAt), gt(ltiLoginStates.expiresAt, now)))
    .returning({ state: ltiLoginStates.state });
  return rows.length === 1;
}
