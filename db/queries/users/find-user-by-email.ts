import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";

/** How an email is stored and compared: trimmed and lower-cased, so one address is one account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The user with this (normalised) email, if any. */
export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, normaliseEmail(email)));
  return user;
}
