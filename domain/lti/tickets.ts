import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/db";
import { consumeLaunchTicket, insertLaunchTicket, peekLaunchTicket, type LtiLaunchTicket } from "@/db/queries/lti/launch-tickets";
import { LtiRefusal } from "./errors";

/** Long enough to open a new window and for a slow page to load; short enough that a leaked link is useless soon. */
const TICKET_TTL_MS = 5 * 60_000;

/** `register`: a dynamic-registration URL an instructor made for an LMS administrator. */
export type TicketPurpose = "session" | "deep-link" | "register";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A single-use ticket from a validated launch to the next step (signing the browser in, or the
 * deep-linking form). Only its hash is stored; the token itself travels in one URL or form field.
 */
export async function issueTicket(
  db: Db,
  input: { userId: string; purpose: TicketPurpose; target: string; data?: unknown },
  now = new Date(),
  ttlMs = TICKET_TTL_MS,
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await insertLaunchTicket(db, { ...input, tokenHash: hash(token), expiresAt: new Date(now.getTime() + ttlMs) });
  return token;
}

export async function peekTicket(db: Db, token: string, purpose: TicketPurpose, now = new Date()): Promise<LtiLaunchTicket> {
  const row = await peekLaunchTicket(db, hash(token), purpose, now);
  if (!row) throw new LtiRefusal("badTicket");
  return row;
}

/** Uses the ticket (once); an unknown, expired, used or wrong-purpose ticket is refused. */
export async function redeemTicket(db: Db, token: string, purpose: TicketPurpose, now = new Date()): Promise<LtiLaunchTicket> {
  const row = await consumeLaunchTicket(db, hash(token), purpose, now);
  if (!row) throw new LtiRefusal("badTicket");
  return row;
}
