import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { accounts, enrollments, users } from "@/db/schema";
import { normaliseEmail } from "@/db/queries/users/find-user-by-email";

/** The `accounts.provider` of an LTI identity: one per issuer, so a `sub` is only ever matched within its own LMS. */
export const ltiProvider = (issuer: string) => `lti:${issuer}`;

export interface LaunchIdentity {
  issuer: string;
  sub: string;
  name: string;
  email?: string;
  role: "student" | "instructor";
  courseId: string;
}

/** A placeholder address that cannot collide with a real one (`.invalid` is reserved, RFC 2606). */
const placeholderEmail = () => `lti-${crypto.randomUUID()}@lti.invalid`;

class LostRace extends Error {}

async function findLinked(db: Db | Tx, issuer: string, sub: string) {
  const [row] = await db
    .select({ id: users.id, role: users.role })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, ltiProvider(issuer)), eq(accounts.providerAccountId, sub)));
  return row ?? null;
}

/**
 * The user behind an LMS identity, created on its first launch (or roster sync), and enrolled in
 * the course with the LMS role. Linked by (issuer, sub) only: an email the LMS sends is kept as the
 * address when no account has it, but never joins the identity to an existing account, so no local
 * account can claim an LMS user (nor the other way round). Call only for an identity a validated
 * launch or an authenticated service response vouched for.
 */
export async function provisionLtiUser(db: Db, identity: LaunchIdentity): Promise<{ userId: string; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        let created = false;
        let user = await findLinked(tx, identity.issuer, identity.sub);
        if (!user) {
          const wanted = identity.email ? normaliseEmail(identity.email) : null;
          const [taken] = wanted ? await tx.select({ id: users.id }).from(users).where(eq(users.email, wanted)) : [];
          const email = wanted && !taken ? wanted : placeholderEmail();
          const [row] = await tx
            .insert(users)
            .values({ email, name: identity.name, role: identity.role })
            .onConflictDoNothing({ target: users.email })
            .returning({ id: users.id, role: users.role });
          if (!row) throw new LostRace();
          const linked = await tx
            .insert(accounts)
            .values({ userId: row.id, provider: ltiProvider(identity.issuer), providerAccountId: identity.sub })
            .onConflictDoNothing()
            .returning();
          if (!linked.length) throw new LostRace();
          user = row;
          created = true;
        } else {
          // An LMS instructor becomes one here; a student launch never takes the role away.
          const role = user.role === "instructor" ? "instructor" : identity.role;
          await tx.update(users).set({ name: identity.name, role }).where(eq(users.id, user.id));
        }
        await tx
          .insert(enrollments)
          .values({ courseId: identity.courseId, userId: user.id, role: identity.role })
          .onConflictDoUpdate({
            target: [enrollments.courseId, enrollments.userId],
            set: { role: sql`case when ${enrollments.role} = 'instructor' then ${enrollments.role} else excluded.role end` },
          });
        return { userId: user.id, created };
      });
    } catch (e) {
      // Another request created this identity (or took the address) first: link to theirs.
      if (e instanceof LostRace && attempt < 2) continue;
      throw e;
    }
  }
}

/** The LMS `sub` of a user on this issuer, for grade passback; null when they never came from it. */
export async function ltiSubOf(db: Db, issuer: string, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ sub: accounts.providerAccountId })
    .from(accounts)
    .where(and(eq(accounts.provider, ltiProvider(issuer)), eq(accounts.userId, userId)));
  return row?.sub ?? null;
}

/** userId → `sub` of every user linked to this issuer. */
export async function ltiSubsOfIssuer(db: Db, issuer: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ userId: accounts.userId, sub: accounts.providerAccountId })
    .from(accounts)
    .where(eq(accounts.provider, ltiProvider(issuer)));
  return new Map(rows.map((r) => [r.userId, r.sub]));
}
