import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { hashPassword } from "@/domain/auth/password";
import { ConflictError } from "@/lib/errors";
import { normaliseEmail } from "./verify-credentials";

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role?: "student" | "instructor";
}

/** Creates a password account. A taken email is a ConflictError (sign-up is the one place that says so). */
export async function createUser(db: Db, input: NewUser) {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ email, name: input.name.trim(), passwordHash, role: input.role ?? "student" })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new ConflictError("An account with this email already exists. Sign in instead.");
  return row;
}

/** Creates or updates a user's password and role: used by the demo seed so that it is re-runnable. */
export async function upsertPasswordUser(db: Db, input: Required<NewUser>) {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) {
    await db.update(users).set({ passwordHash, role: input.role, name: input.name }).where(eq(users.id, existing.id));
    return existing.id;
  }
  const [row] = await db.insert(users).values({ email, name: input.name, passwordHash, role: input.role }).returning();
  return row.id;
}
