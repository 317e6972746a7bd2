import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import type { SubmissionPurpose } from "@/db/schema/grading";
import { BUILDER_KINDS, isBuilderKind, type BuilderKind } from "@/grader/contracts/submission-status";

/**
 * A student's newest submission of an assignment that the builder can open (a CNN or a transfer recipe, refused or
 * not), for the builder's "your last submission" preset; null when there is none. Graded submissions by default;
 * `purpose: "practice"` with `studentDatasetId` gives the newest practice run on that dataset (its classes differ).
 */
export async function latestBuiltSpec(
  db: Db,
  where: { assignmentId: string; userId: string; purpose?: SubmissionPurpose; studentDatasetId?: string },
): Promise<{ id: string; kind: BuilderKind; spec: unknown; createdAt: Date } | null> {
  const [row] = await db
    .select({ id: submissions.id, kind: submissions.kind, spec: submissions.spec, createdAt: submissions.createdAt })
    .from(submissions)
    .where(and(
      eq(submissions.assignmentId, where.assignmentId),
      eq(submissions.userId, where.userId),
      eq(submissions.purpose, where.purpose ?? "graded"),
      where.studentDatasetId === undefined ? undefined : eq(submissions.studentDatasetId, where.studentDatasetId),
      inArray(submissions.kind, [...BUILDER_KINDS]),
      isNotNull(submissions.spec),
    ))
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(1);
  if (!row || !isBuilderKind(row.kind)) return null;
  return { id: row.id, kind: row.kind, spec: row.spec, createdAt: row.createdAt };
}
