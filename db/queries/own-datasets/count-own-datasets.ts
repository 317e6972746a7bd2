import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { studentDatasets } from "@/db/schema";

/** How many datasets a user keeps in a course. */
export async function countOwnDatasets(db: Db, courseId: string, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(studentDatasets).where(and(eq(studentDatasets.courseId, courseId), eq(studentDatasets.userId, userId)));
  return row?.n ?? 0;
}
