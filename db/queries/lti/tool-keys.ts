import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiToolKeys } from "@/db/schema";

export type LtiToolKey = typeof ltiToolKeys.$inferSelect;

/** The newest key that is not retired: the one that signs. */
export async function activeToolKey(db: Db): Promise<LtiToolKey | null> {
  const [row] = await db.select().from(ltiToolKeys).where(isNull(ltiToolKeys.retiredAt)).orderBy(desc(ltiToolKeys.createdAt)).limit(1);
  return row ?? null;
}

export async function insertToolKey(db: Db, key: { kid: string; privateJwk: unknown; publicJwk: unknown }): Promise<void> {
  await db.insert(ltiToolKeys).values(key).onConflictDoNothing();
}

/** Retires every key but `keepKid` (rotation): they stop signing but stay published for a while. */
export async function retireToolKeysExcept(db: Db, keepKid: string, now: Date): Promise<void> {
  const active = await db.select({ kid: ltiToolKeys.kid }).from(ltiToolKeys).where(isNull(ltiToolKeys.retiredAt));
  for (const k of active) {
    if (k.kid !== keepKid) await db.update(ltiToolKeys).set({ retiredAt: now }).where(and(eq(ltiToolKeys.kid, k.kid), isNull(ltiToolKeys.retiredAt)));
  }
}

/** Keys to publish: the active ones and those retired after `retiredSince`. */
export async function publishedToolKeys(db: Db, retiredSince: Date): Promise<LtiToolKey[]> {
  return db
    .select()
    .from(ltiToolKeys)
    .where(or(isNull(ltiToolKeys.retiredAt), gt(ltiToolKeys.retiredAt, retiredSince)))
    .orderBy(desc(ltiToolKeys.createdAt));
}
