import { and, asc, desc, eq, gt, ne, or, count, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { countedSubmissions, users } from "@/db/schema";

/** One student's counted submission with both of its ranks among the assignment's students. */
export interface RankedCountedRow {
  userId: string;
  name: string;
  submissionId: string;
  submittedAt: Date;
  publicScore: number;
  privateScore: number;
  source: "report" | "override";
  /** Rank by public score (ties to the earlier submission). */
  publicRank: number;
  /** Rank by private score, the same tie rule. */
  privateRank: number;
}

const c = countedSubmissions;
// Instructors try the assignment too; they are not ranked against students.
const students = (assignmentId: string) => and(eq(c.assignmentId, assignmentId), eq(users.role, "student"));

/**
 * The top `limit` students of an assignment by `orderBy` (the split that counts now) and the row
 * of `viewerId` wherever it ranks, from counted_submissions: one indexed row per student, ranked in
 * SQL, so the page gets at most limit + 1 rows whatever the class size.
 */
export async function rankedCountedSubmissions(
  db: Db,
  assignmentId: string,
  opts: { orderBy: "public" | "private"; limit: number; viewerId?: string },
): Promise<{ rows: RankedCountedRow[]; total: number }> {
  const ranked = db.$with("ranked").as(
    db
      .select({
        userId: c.userId,
        name: users.name,
        submissionId: c.submissionId,
        submittedAt: c.submittedAt,
        publicScore: c.publicScore,
        privateScore: c.privateScore,
        source: c.source,
        publicRank: sql<number>`row_number() over (order by ${c.publicScore} desc, ${c.submittedAt}, ${c.submissionId})`.mapWith(Number).as("public_rank"),
        privateRank: sql<number>`row_number() over (order by ${c.privateScore} desc, ${c.submittedAt}, ${c.submissionId})`.mapWith(Number).as("private_rank"),
      })
      .from(c)
      .innerJoin(users, eq(users.id, c.userId))
      .where(students(assignmentId)),
  );
  const rank = opts.orderBy === "private" ? ranked.privateRank : ranked.publicRank;
  const [rows, [total]] = await Promise.all([
    db
      .with(ranked)
      .select()
      .from(ranked)
      .where(opts.viewerId ? or(lte(rank, opts.limit), eq(ranked.userId, opts.viewerId)) : lte(rank, opts.limit))
      .orderBy(asc(rank)),
    db.select({ n: count() }).from(c).innerJoin(users, eq(users.id, c.userId)).where(students(assignmentId)),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Every student's counted scores (for the instructor's score distribution): two numbers a student. */
export async function countedScores(db: Db, assignmentId: string): Promise<{ publicScore: number; privateScore: number }[]> {
  return db
    .select({ publicScore: c.publicScore, privateScore: c.privateScore })
    .from(c)
    .innerJoin(users, eq(users.id, c.userId))
    .where(students(assignmentId))
    .orderBy(desc(c.publicScore));
}

/**
 * The public rank a student would have with `score` against every other student's counted
 * submission (how a regrade moved them). Ties count in the student's favour.
 */
export async function publicRankWithScore(db: Db, assignmentId: string, userId: string, score: number): Promise<number> {
  const [row] = await db
    .select({ above: count() })
    .from(c)
    .innerJoin(users, eq(users.id, c.userId))
    .where(and(students(assignmentId), ne(c.userId, userId), gt(c.publicScore, sql`${score}::real`)));
  return 1 + (row?.above ?? 0);
}
