import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { normaliseEmail } from "./find-user-by-email";

export interface PasswordUserRow {
  email: string;
  name: string;
  /** Already hashed (domain/auth/password.ts): this layer never sees a password. */
  passwordHash: string;
  role: "student" | "instructor";
}

/** Inserts a password account; undefined when the email is taken. */
export async function insertPasswordUser(db: Db, input: PasswordUserRow) {
  const [row] = await db
    .insert(users)
    .values({ email: normaliseEmail(input.email), name: input.name.trim(), passwordHash: input.passwordHash, role: input.role })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row;
}

/** Creates or updates a user's password hash, name and role (the demo seed, so that it is re-runnable). */
export async function upsertPasswordUserRow(db: Db, input: PasswordUserRow): Promise<string> {
  const email = normaliseEmail(input.email);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) {
    await db.update(users).set({ passwordHash: input.passwordHash, role: input.role, name: input.name }).where(eq(users.id, existing.id));
    return existing.id;
  }
  const [row] = await db.insert(users).values({ email, name: input.name, passwordHash: input.passwordHash, role: input.role }).returning();
  return row!.id;
}
