import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { accounts, users } from "@/db/schema";
import { normaliseEmail } from "./find-user-by-email";

/**
 * Finds or creates the user behind an OAuth/OIDC identity. A new identity whose email matches an
 * existing account is linked to it: providers we enable verify email ownership.
 */
export async function linkOAuthAccount(
  db: Db,
  input: { provider: string; providerAccountId: string; email: string; name: string },
) {
  const [linked] = await db
    .select({ user: users })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, input.provider), eq(accounts.providerAccountId, input.providerAccountId)));
  if (linked) return linked.user;
  const email = normaliseEmail(input.email);
  const [existing] = await db.select().from(users).where(eq(users.email, email));
  const user =
    existing ??
    (await db.insert(users).values({ email, name: input.name || email, role: "student" }).returning())[0];
  await db
    .insert(accounts)
    .values({ userId: user.id, provider: input.provider, providerAccountId: input.providerAccountId })
    .onConflictDoNothing();
  return user;
}
