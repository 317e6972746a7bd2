import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { submissions } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/**
 * Whose submission it is, and to which assignment.
 * @throws NotFoundError for an unknown id
 */
export async function submissionOwner(db: Db | Tx, submissionId: string): Promise<{ assignmentId: string; userId: string }> {
  const [row] = await db
    .select({ assignmentId: submissions.assignmentId, userId: submissions.userId })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  if (!row) throw new NotFoundError("No such submission.");
  return row;
}
