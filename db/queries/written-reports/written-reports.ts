import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { writtenReports } from "@/db/schema";

export type WrittenReportRow = typeof writtenReports.$inferSelect;

/** A student's written report of an assignment, or null when they have not started one. */
export async function findWrittenReport(db: Db, assignmentId: string, userId: string): Promise<WrittenReportRow | null> {
  const [row] = await db
    .select()
    .from(writtenReports)
    .where(and(eq(writtenReports.assignmentId, assignmentId), eq(writtenReports.userId, userId)));
  return row ?? null;
}

/**
 * Stores the body of a report that is not handed in yet, if it is still the version the writer started
 * from (`expectedUpdatedAt`; null: no report yet). With `handIn` it is also handed in, in the same
 * statement. Returns the stored row, or null when nothing was written: the report is handed in already,
 * or it changed since (another tab or device); the caller reads the row to say which.
 */
export async function storeWrittenReport(
  db: Db,
  input: { assignmentId: string; userId: string; body: string; now: Date; expectedUpdatedAt: Date | null; handIn: boolean },
): Promise<WrittenReportRow | null> {
  const handedInAt = input.handIn ? input.now : null;
  if (input.expectedUpdatedAt === null) {
    const [row] = await db
      .insert(writtenReports)
      .values({ assignmentId: input.assignmentId, userId: input.userId, body: input.body, updatedAt: input.now, handedInAt })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }
  const [row] = await db
    .update(writtenReports)
    .set({ body: input.body, updatedAt: input.now, ...(input.handIn ? { handedInAt } : {}) })
    .where(
      and(
        eq(writtenReports.assignmentId, input.assignmentId),
        eq(writtenReports.userId, input.userId),
        isNull(writtenReports.handedInAt),
        // Compared in milliseconds, the precision the client got the timestamp in.
        sql`date_trunc('milliseconds', ${writtenReports.updatedAt}) = ${input.expectedUpdatedAt.toISOString()}::timestamptz`,
      ),
    )
    .returning();
  return row ?? null;
}
