import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments } from "@/db/schema";

/**
 * Assignments whose counted rows are not what the rows they depend on say: a row chosen by another
 * rule than assignment.yaml's current one, or a student with a graded submission (purpose `graded`
 * with a report or an override; practice runs never count) and no row — data from before counted_submissions existed, or a changed rule. The
 * content sync recounts them.
 */
export async function assignmentsWithStaleCounts(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: assignments.id })
    .from(assignments)
    .where(sql`exists (
      select 1 from counted_submissions c
      where c.assignment_id = ${assignments.id}
        and c.rule <> coalesce(${assignments.config}->'gradebook'->>'assignmentScore', 'best')
    ) or exists (
      select 1 from submissions s
      where s.assignment_id = ${assignments.id}
        and s.purpose = 'graded'
        and (exists (select 1 from reports r where r.submission_id = s.id)
             or exists (select 1 from score_overrides o where o.submission_id = s.id))
        and not exists (select 1 from counted_submissions c where c.assignment_id = s.assignment_id and c.user_id = s.user_id)
    )`);
  return rows.map((r) => r.id);
}
