import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { countedSubmissions, reports } from "@/db/schema";
import { splitScoreSchema, type SplitScore } from "@/grader/report/schema";

/**
 * For students of an assignment: the score document (`report.score.<split>`) of the newest report of their
 * submission that counts — where a `kind: improvement` score keeps the student's metric and the baseline's.
 * Students without a counted submission, or whose report has no score there, are left out.
 */
export async function countedSplitScores(db: Db, assignmentId: string, userIds: string[], split: "public" | "private"): Promise<Map<string, SplitScore>> {
  if (userIds.length === 0) return new Map();
  const counted = await db
    .select({ userId: countedSubmissions.userId, submissionId: countedSubmissions.submissionId })
    .from(countedSubmissions)
    .where(and(eq(countedSubmissions.assignmentId, assignmentId), inArray(countedSubmissions.userId, userIds)));
  if (counted.length === 0) return new Map();
  const docs = await db
    .select({ submissionId: reports.submissionId, run: reports.run, score: sql<unknown>`${reports.report}->'score'->${split}` })
    .from(reports)
    .where(inArray(reports.submissionId, counted.map((c) => c.submissionId)));
  const newest = new Map<string, { run: number; score: unknown }>();
  for (const d of docs) if ((newest.get(d.submissionId)?.run ?? -1) < d.run) newest.set(d.submissionId, d);
  const out = new Map<string, SplitScore>();
  for (const c of counted) {
    const parsed = splitScoreSchema.safeParse(newest.get(c.submissionId)?.score);
    if (parsed.success) out.set(c.userId, parsed.data);
  }
  return out;
}
