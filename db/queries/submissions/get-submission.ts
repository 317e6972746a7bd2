import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions } from "@/db/schema";
import type { Submission } from "./create-submission";

/** One submission by id, or null. */
export async function getSubmission(db: Db, submissionId: string): Promise<Submission | null> {
  const [row] = await db.select().from(submissions).where(eq(submissions.id, submissionId));
  return row ?? null;
}
