import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { courses } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { generateJoinCode } from "./upsert-course";

/** Replaces a course's join code (e.g. after it leaked); members stay enrolled. */
export async function regenerateJoinCode(db: Db, courseId: string): Promise<string> {
  const joinCode = generateJoinCode();
  const [row] = await db.update(courses).set({ joinCode }).where(eq(courses.id, courseId)).returning();
  if (!row) throw new NotFoundError("That course does not exist.");
  return joinCode;
}
