import type { Db, Tx } from "@/db";
import { countingRuleOf } from "@/db/queries/counted-submissions/counting-rule";
import { gradedSubmissions, type GradedSubmissionRow } from "@/db/queries/counted-submissions/graded-candidates";
import {
  lockAllCountedSubmissions,
  lockCountedSubmission,
  removeCountedSubmission,
  removeCountedSubmissionsOf,
  saveCountedSubmissions,
  type CountedSubmissionRow,
} from "@/db/queries/counted-submissions/save-counted-submissions";
import { assignmentsWithStaleCounts } from "@/db/queries/counted-submissions/stale-assignments";
import { countedSubmission, type CountingRule } from "./counted-submission";

function toRow(assignmentId: string, userId: string, rule: CountingRule, candidates: GradedSubmissionRow[]): CountedSubmissionRow | null {
  const counted = countedSubmission(candidates, rule);
  return counted && { assignmentId, userId, rule, ...counted };
}

/**
 * Chooses a student's submission that counts again, from their reports and overrides as `tx` sees
 * them. Call it in the transaction that wrote the report or override, so the counted row never
 * disagrees with a committed score.
 */
export async function recountStudent(tx: Tx, assignmentId: string, userId: string): Promise<void> {
  await lockCountedSubmission(tx, assignmentId, userId);
  const rule = await countingRuleOf(tx, assignmentId);
  const row = toRow(assignmentId, userId, rule, await gradedSubmissions(tx, assignmentId, userId));
  if (row) await saveCountedSubmissions(tx, [row]);
  else await removeCountedSubmission(tx, assignmentId, userId);
}

/** Counts every student of an assignment from scratch (after a rule change, or for older data). Returns the rows written. */
export async function recountAssignment(db: Db, assignmentId: string): Promise<number> {
  return db.transaction(async (tx) => {
    await lockAllCountedSubmissions(tx);
    const rule = await countingRuleOf(tx, assignmentId);
    const byStudent = new Map<string, GradedSubmissionRow[]>();
    for (const c of await gradedSubmissions(tx, assignmentId)) {
      const list = byStudent.get(c.userId);
      if (list) list.push(c);
      else byStudent.set(c.userId, [c]);
    }
    const rows = [...byStudent].flatMap(([userId, candidates]) => toRow(assignmentId, userId, rule, candidates) ?? []);
    await removeCountedSubmissionsOf(tx, assignmentId);
    await saveCountedSubmissions(tx, rows);
    return rows.length;
  });
}

/**
 * Recounts every assignment whose counted rows are stale (graded work from before the table existed,
 * or assignment.yaml's counting rule changed). Cheap when nothing is stale; run after each content sync.
 * @returns the ids of the assignments recounted
 */
export async function recountStaleAssignments(db: Db): Promise<string[]> {
  const stale = await assignmentsWithStaleCounts(db);
  for (const id of stale) await recountAssignment(db, id);
  return stale;
}
