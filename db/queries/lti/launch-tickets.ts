import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiLaunchTickets } from "@/db/schema";

export type LtiLaunchTicket = typeof ltiLaunchTickets.$inferSelect;

export async function insertLaunchTicket(
  db: Db,
  input: { tokenHash: string; userId: string; purpose: string; target: string; data?: unknown; expiresAt: Date },
): Promise<void> {
  await db.insert(ltiLaunchTickets).values(input);
}

/** The ticket with this hash and purpose, while it is unused and unexpired. */
const usableTicket = (tokenHash: string, purpose: string, now: Date) =>
  and(
    eq(ltiLaunchTickets.tokenHash, tokenHash),
    eq(ltiLaunchTickets.purpose, purpose),
    isNull(ltiLaunchTickets.usedAt),
    gt(ltiLaunchTickets.expiresAt, now),
  );

/** An unused, unexpired ticket, without using it (the framed page that offers a new window). */
export async function peekLaunchTicket(db: Db, tokenHash: string, purpose: string, now: Date): Promise<LtiLaunchTicket | null> {
  const [row] = await db
    .select()
    .from(ltiLaunchTickets)
    .where(usableTicket(tokenHash, purpose, now));
  return row ?? null;
}

/** Uses the ticket, once (guarded update); null when it is unknown, expired, used or for another purpose. */
export async function consumeLaunchTicket(db: Db, tokenHash: string, purpose: string, now: Date): Promise<LtiLaunchTicket | null> {
  const [row] = await db
    .update(ltiLaunchTickets)
    .set({ usedAt: now })
    .where(usableTicket(tokenHash, purpose, now))
    .returning();
  return row ?? null;
}
