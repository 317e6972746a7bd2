import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { submissions } from "@/db/schema";

/** Why a submission exists and on which student dataset it ran (null: the assignment's own sets). */
export async function submissionPurpose(
  db: Db | Tx,
  submissionId: string,
): Promise<{ purpose: "graded" | "practice" | "baseline"; studentDatasetId: string | null } | null> {
  const [row] = await db
    .select({ purpose: submissions.purpose, studentDatasetId: submissions.studentDatasetId })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  return row ?? null;
}
