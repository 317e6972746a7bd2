import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { assignments } from "@/db/schema";
import { gradebookSchema } from "@/grader/assignment/schema";
import { NotFoundError } from "@/lib/errors";

const ruleSchema = gradebookSchema.shape.assignmentScore;
export type CountingRuleValue = ReturnType<typeof ruleSchema.parse>;

/**
 * assignment.yaml's `gradebook.assignmentScore` as the content sync stored it (the default when absent).
 * @throws NotFoundError for an unknown assignment
 */
export async function countingRuleOf(db: Db | Tx, assignmentId: string): Promise<CountingRuleValue> {
  const [row] = await db
    .select({ rule: sql<string | null>`${assignments.config}->'gradebook'->>'assignmentScore'` })
    .from(assignments)
    .where(eq(assignments.id, assignmentId));
  if (!row) throw new NotFoundError("No such assignment.");
  return ruleSchema.parse(row.rule ?? undefined);
}
