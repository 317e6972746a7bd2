import { and, desc, eq, gte, ilike, lte, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { submissions, users } from "@/db/schema";
import { submissionStatusEnum } from "@/db/schema/enums";
import { latestReports } from "./latest-reports";

/** Filters of the instructor's submissions list, parsed from the query string (bad values are ignored, not a 500). */
export const submissionFiltersSchema = z.object({
  student: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(submissionStatusEnum.enumValues).optional().catch(undefined),
  minScore: z.coerce.number().min(0).max(100).optional().catch(undefined),
  maxScore: z.coerce.number().min(0).max(100).optional().catch(undefined),
});
export type SubmissionFilters = z.infer<typeof submissionFiltersSchema>;

export interface SubmissionListRow {
  id: string;
  userId: string;
  studentName: string;
  studentEmail: string;
  kind: string;
  status: string;
  run: number;
  /** The spec's `name`, when it has one. */
  name: string | null;
  errorMessage: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  publicScore: number | null;
  privateScore: number | null;
  reportedRun: number | null;
}

function specName(spec: unknown): string | null {
  if (spec && typeof spec === "object" && "name" in spec && typeof spec.name === "string") return spec.name;
  return null;
}

/**
 * Submissions of an assignment, newest first, with the score of their newest report. `userId`
 * restricts to one student (their history); the other filters serve the instructor's list.
 */
export async function listSubmissions(
  db: Db,
  assignmentId: string,
  opts: { userId?: string; filters?: SubmissionFilters; limit?: number } = {},
): Promise<SubmissionListRow[]> {
  const latest = latestReports(db);
  const f = opts.filters ?? {};
  const where: (SQL | undefined)[] = [eq(submissions.assignmentId, assignmentId)];
  if (opts.userId) where.push(eq(submissions.userId, opts.userId));
  if (f.student) {
    const pattern = `%${f.student.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(users.name, pattern), ilike(users.email, pattern)));
  }
  if (f.status) where.push(eq(submissions.status, f.status));
  if (f.minScore !== undefined) where.push(gte(latest.publicScore, f.minScore));
  if (f.maxScore !== undefined) where.push(lte(latest.publicScore, f.maxScore));
  const rows = await db
    .select({
      id: submissions.id,
      userId: submissions.userId,
      studentName: users.name,
      studentEmail: users.email,
      kind: submissions.kind,
      status: submissions.status,
      run: submissions.run,
      spec: submissions.spec,
      errorMessage: submissions.errorMessage,
      createdAt: submissions.createdAt,
      finishedAt: submissions.finishedAt,
      publicScore: latest.publicScore,
      privateScore: latest.privateScore,
      reportedRun: latest.run,
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.userId))
    .leftJoin(latest, eq(latest.submissionId, submissions.id))
    .where(and(...where))
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(opts.limit ?? 500);
  return rows.map(({ spec, ...r }) => ({ ...r, name: specName(spec) }));
}
