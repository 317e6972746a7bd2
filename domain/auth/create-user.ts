import type { Db } from "@/db";
import { insertPasswordUser, upsertPasswordUserRow } from "@/db/queries/users/insert-password-user";
import { ConflictError } from "@/lib/errors";
import { hashPassword } from "./password";

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role?: "student" | "instructor";
}

/** Creates a password account. A taken email is a ConflictError (sign-up is the one place that says so). */
export async function createUser(db: Db, input: NewUser) {
  const passwordHash = await hashPassword(input.password);
  const row = await insertPasswordUser(db, { ...input, passwordHash, role: input.role ?? "student" });
  if (!row) throw new ConflictError("An account with this email already exists. Sign in instead.");
  return row;
}

/** Creates or updates a user's password and role: used by the demo seed so that it is re-runnable. */
export async function upsertPasswordUser(db: Db, input: Required<NewUser>): Promise<string> {
  return upsertPasswordUserRow(db, { ...input, passwordHash: await hashPassword(input.password) });
}
