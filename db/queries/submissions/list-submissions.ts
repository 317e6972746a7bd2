import { and, desc, eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { submissions, users } from "@/db/schema";
import { submissionStatusEnum } from "@/db/schema/enums";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { latestReport } from "./latest-report";

/** Filters of the instructor's submissions list, parsed from the query string (bad values are ignored, not a 500). */
export const submissionFiltersSchema = z.object({
  student: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(submissionStatusEnum.enumValues).optional().catch(undefined),
  minScore: z.coerce.number().min(0).max(100).optional().catch(undefined),
  maxScore: z.coerce.number().min(0).max(100).optional().catch(undefined),
  /**
   * Which submissions: `graded` (the default: what counts for the assignment), students' `practice` runs on their own
   * datasets, the platform's `baseline` runs, or `all` of them (each row says which it is).
   */
  purpose: z.enum(["graded", "practice", "baseline", "all"]).default("graded").catch("graded"),
});
export type SubmissionFilters = Partial<z.infer<typeof submissionFiltersSchema>>;

/** Rows per page of a submissions list. */
export const SUBMISSIONS_PAGE_SIZE = 50;
/** Enough of a failure message for a list cell (the submission page shows all of it). */
const ERROR_PREVIEW_CHARS = 300;

export interface SubmissionListRow {
  id: string;
  studentName: string;
  studentEmail: string;
  kind: string;
  /** graded | practice | baseline (db/schema/grading.ts). */
  purpose: string;
  /** The student's dataset a practice or baseline run was on. */
  studentDatasetId: string | null;
  status: string;
  run: number;
  /** The spec's `name`, when it has one. */
  name: string | null;
  /** The start of the failure or rejection message. */
  errorMessage: string | null;
  createdAt: Date;
  publicScore: number | null;
  privateScore: number | null;
  reportedRun: number | null;
}

export interface SubmissionPage {
  rows: SubmissionListRow[];
  /** The cursor of the next (older) page; null on the last one. */
  nextCursor: string | null;
}

/**
 * Submissions of an assignment, newest first, with the scores of their newest report, one page at a
 * time: a keyset cursor on (created_at, id), filters and sort in SQL, and only the columns a list
 * shows (the spec's name, not the spec). `userId` restricts to one student (their history); the
 * other filters serve the instructor's list.
 */
export async function listSubmissions(
  db: Db,
  assignmentId: string,
  opts: { userId?: string; filters?: SubmissionFilters; limit?: number; cursor?: string | null } = {},
): Promise<SubmissionPage> {
  const report = latestReport(db);
  const f = opts.filters ?? {};
  const limit = opts.limit ?? SUBMISSIONS_PAGE_SIZE;
  const after = decodeCursor(opts.cursor, 2);
  const where: (SQL | undefined)[] = [eq(submissions.assignmentId, assignmentId)];
  if (opts.userId) where.push(eq(submissions.userId, opts.userId));
  // Graded submissions unless asked otherwise: a student's history and the instructor's list show what counts.
  const purpose = f.purpose ?? "graded";
  if (purpose !== "all") where.push(eq(submissions.purpose, purpose));
  if (f.student) {
    const pattern = `%${f.student.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(users.name, pattern), ilike(users.email, pattern)));
  }
  if (f.status) where.push(eq(submissions.status, f.status));
  if (f.minScore !== undefined) where.push(gte(report.publicScore, sql`${f.minScore}::real`));
  if (f.maxScore !== undefined) where.push(lte(report.publicScore, sql`${f.maxScore}::real`));
  // The key is compared as Postgres stored it (microseconds), not as a JavaScript Date (milliseconds).
  if (after) where.push(sql`(${submissions.createdAt}, ${submissions.id}) < (${after[0]}::timestamptz, ${after[1]})`);
  const rows = await db
    .select({
      id: submissions.id,
      studentName: users.name,
      studentEmail: users.email,
      kind: submissions.kind,
      purpose: submissions.purpose,
      studentDatasetId: submissions.studentDatasetId,
      status: submissions.status,
      run: submissions.run,
      name: sql<string | null>`${submissions.spec}->>'name'`,
      errorMessage: sql<string | null>`left(${submissions.errorMessage}, ${ERROR_PREVIEW_CHARS})`,
      createdAt: submissions.createdAt,
      key: sql<string>`${submissions.createdAt}::text`,
      publicScore: report.publicScore,
      privateScore: report.privateScore,
      reportedRun: report.run,
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.userId))
    .leftJoinLateral(report, sql`true`)
    .where(and(...where))
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(limit + 1);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    rows: shown.map(({ key: _key, ...r }) => r),
    nextCursor: rows.length > limit && last ? encodeCursor([last.key, last.id]) : null,
  };
}
