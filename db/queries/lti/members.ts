import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiContexts, ltiMembers } from "@/db/schema";

export async function upsertMember(db: Db, m: { contextRowId: string; sub: string; userId: string; roles: string[]; status: string }): Promise<void> {
  const syncedAt = new Date();
  await db
    .insert(ltiMembers)
    .values({ ...m, syncedAt })
    .onConflictDoUpdate({ target: [ltiMembers.contextRowId, ltiMembers.sub], set: { userId: m.userId, roles: m.roles, status: m.status, syncedAt } });
}

export async function markRosterSynced(db: Db, contextRowId: string, at: Date): Promise<void> {
  await db.update(ltiContexts).set({ rosterSyncedAt: at }).where(eq(ltiContexts.id, contextRowId));
}
