import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments } from "@/db/schema";

/** The instructor's choice of showing display names or anonymous handles on the leaderboard. */
export async function setLeaderboardAnonymous(db: Db, assignmentId: string, anonymous: boolean): Promise<void> {
  await db.update(assignments).set({ leaderboardAnonymous: anonymous }).where(eq(assignments.id, assignmentId));
}
