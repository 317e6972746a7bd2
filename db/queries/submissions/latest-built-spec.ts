import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import { BUILDER_KINDS, isBuilderKind, type BuilderKind } from "@/grader/contracts/submission-status";

/**
 * A student's newest submission of an assignment that the builder can open (a CNN or a transfer recipe, refused or
 * not), for the builder's "your last submission" preset; null when there is none.
 */
export async function latestBuiltSpec(
  db: Db,
  where: { assignmentId: string; userId: string },
): Promise<{ id: string; kind: BuilderKind; spec: unknown; createdAt: Date } | null> {
  const [row] = await db
    .select({ id: submissions.id, kind: submissions.kind, spec: submissions.spec, createdAt: submissions.createdAt })
    .from(submissions)
    .where(and(
      eq(submissions.assignmentId, where.assignmentId),
      eq(submissions.userId, where.userId),
      inArray(submissions.kind, [...BUILDER_KINDS]),
      isNotNull(submissions.spec),
    ))
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(1);
  if (!row || !isBuilderKind(row.kind)) return null;
  return { id: row.id, kind: row.kind, spec: row.spec, createdAt: row.createdAt };
}
