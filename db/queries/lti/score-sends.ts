import { and, asc, desc, eq, inArray, lt, lte } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiContexts, ltiPlatforms, ltiResourceLinks, ltiScoreSends, users } from "@/db/schema";

export type LtiScoreSend = typeof ltiScoreSends.$inferSelect;

/** The newest score recorded for this student on this line item (sent or not). */
export async function latestScoreSend(db: Db, resourceLinkRowId: string, userId: string): Promise<LtiScoreSend | null> {
  const [row] = await db
    .select()
    .from(ltiScoreSends)
    .where(and(eq(ltiScoreSends.resourceLinkRowId, resourceLinkRowId), eq(ltiScoreSends.userId, userId)))
    .orderBy(desc(ltiScoreSends.scoreTimestamp))
    .limit(1);
  return row ?? null;
}

/** The score recorded for this student on this line item at exactly this timestamp (a redelivered change), or null. */
export async function scoreSendAt(db: Db, resourceLinkRowId: string, userId: string, scoreTimestamp: Date): Promise<LtiScoreSend | null> {
  const [row] = await db
    .select()
    .from(ltiScoreSends)
    .where(and(eq(ltiScoreSends.resourceLinkRowId, resourceLinkRowId), eq(ltiScoreSends.userId, userId), eq(ltiScoreSends.scoreTimestamp, scoreTimestamp)));
  return row ?? null;
}

/** Records a score change to send; the same (link, student, timestamp) twice is one row. Returns its id when new. */
export async function insertScoreSend(
  db: Db,
  s: { resourceLinkRowId: string; userId: string; ltiSub: string; scoreGiven: number; scoreMaximum: number; scoreTimestamp: Date },
): Promise<string | null> {
  // Due at once, by the caller's clock: the database's now() can be later than the scan's, which would hold it a whole interval.
  const [row] = await db.insert(ltiScoreSends).values({ ...s, nextAttemptAt: s.scoreTimestamp }).onConflictDoNothing().returning({ id: ltiScoreSends.id });
  return row?.id ?? null;
}

/** Queued sends whose time has come, oldest first. */
export async function dueScoreSendIds(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: ltiScoreSends.id })
    .from(ltiScoreSends)
    .where(and(eq(ltiScoreSends.status, "queued"), lte(ltiScoreSends.nextAttemptAt, now)))
    .orderBy(asc(ltiScoreSends.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** queued → sending, once: a duplicate delivery of the same job finds it taken and does nothing. */
export async function claimScoreSend(db: Db, id: string, now: Date): Promise<LtiScoreSend | null> {
  const [row] = await db
    .update(ltiScoreSends)
    .set({ status: "sending", nextAttemptAt: now })
    .where(and(eq(ltiScoreSends.id, id), eq(ltiScoreSends.status, "queued")))
    .returning();
  return row ?? null;
}

/** Everything the send of one score needs: the line item, the platform, and that the link's course is the student's. */
export async function scoreSendTarget(db: Db, resourceLinkRowId: string) {
  const [row] = await db
    .select({ link: ltiResourceLinks, context: ltiContexts, platform: ltiPlatforms })
    .from(ltiResourceLinks)
    .innerJoin(ltiContexts, eq(ltiContexts.id, ltiResourceLinks.contextRowId))
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiContexts.platformId))
    .where(eq(ltiResourceLinks.id, resourceLinkRowId));
  return row ?? null;
}

/** sending → sent, after `attempts` tries in all. */
export async function markScoreSent(db: Db, id: string, now: Date, attempts: number): Promise<void> {
  await db
    .update(ltiScoreSends)
    .set({ status: "sent", sentAt: now, lastError: null, attempts })
    .where(and(eq(ltiScoreSends.id, id), eq(ltiScoreSends.status, "sending")));
}

/** sending → queued again (at `retryAt`) or → failed for good, with the error. */
export async function markScoreSendFailed(db: Db, id: string, attempts: number, error: string, retryAt: Date | null): Promise<void> {
  await db
    .update(ltiScoreSends)
    .set({ status: retryAt ? "queued" : "failed", attempts, lastError: error.slice(0, 1000), ...(retryAt ? { nextAttemptAt: retryAt } : {}) })
    .where(and(eq(ltiScoreSends.id, id), eq(ltiScoreSends.status, "sending")));
}

/** Sends left `sending` by a process that died: back to the queue. */
export async function requeueStaleScoreSends(db: Db, olderThan: Date): Promise<number> {
  const rows = await db
    .update(ltiScoreSends)
    .set({ status: "queued" })
    .where(and(eq(ltiScoreSends.status, "sending"), lt(ltiScoreSends.nextAttemptAt, olderThan)))
    .returning({ id: ltiScoreSends.id });
  return rows.length;
}

/** The passback log of a course, newest first (the instructor's LTI page). */
export async function listScoreSends(db: Db, courseId: string, limit = 200) {
  const contexts = await db.select({ id: ltiContexts.id }).from(ltiContexts).where(eq(ltiContexts.courseId, courseId));
  if (!contexts.length) return [];
  return db
    .select({
      id: ltiScoreSends.id,
      studentName: users.name,
      targetKind: ltiResourceLinks.targetKind,
      targetNumber: ltiResourceLinks.targetNumber,
      scoreGiven: ltiScoreSends.scoreGiven,
      scoreMaximum: ltiScoreSends.scoreMaximum,
      scoreTimestamp: ltiScoreSends.scoreTimestamp,
      status: ltiScoreSends.status,
      attempts: ltiScoreSends.attempts,
      sentAt: ltiScoreSends.sentAt,
      lastError: ltiScoreSends.lastError,
    })
    .from(ltiScoreSends)
    .innerJoin(ltiResourceLinks, eq(ltiResourceLinks.id, ltiScoreSends.resourceLinkRowId))
    .innerJoin(users, eq(users.id, ltiScoreSends.userId))
    .where(inArray(ltiResourceLinks.contextRowId, contexts.map((c) => c.id)))
    .orderBy(desc(ltiScoreSends.createdAt))
    .limit(limit);
}
