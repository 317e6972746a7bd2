import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "student" | "instructor";
}

/** The account a session names, as it is now (a changed role or a deleted account shows at once). */
export async function findSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}
