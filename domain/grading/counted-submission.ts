/**
 * The one definition of "the submission that counts, and its score" for a student on an assignment.
 * The leaderboard, the gradebook, the submission page (and LTI grade passback) all read it; the
 * counted_submissions table holds its result, recounted whenever a report or an override is written
 * (domain/grading/recount.ts).
 *
 * The rule, in words (the assignment page shows students `countingRuleText`):
 * 1. A submission's score on each part of the held-out set is its newest report's (a regrade's report
 *    replaces the earlier run's once it is written). An instructor's newest override replaces both
 *    parts, also on a submission that never produced a report.
 * 2. Which submission counts is chosen by what the student could see: with `best`, the highest public
 *    score, a tie going to the earlier submission; with `latest`, the newest graded submission.
 *    The private score never chooses: choosing by it would reward many lucky tries on data nobody sees.
 * 3. Its score is the public one until the deadline and the private one after it (final).
 *
 * @see ../../assignments/lesson-6/assignment.yaml gradebook.assignmentScore
 */

/** assignment.yaml's `gradebook.assignmentScore`: which of a student's submissions counts. */
export type CountingRule = "best" | "latest";

/** Which part of the held-out set a counted score comes from. */
export type ScoreSplit = "public" | "private";

/** One submission of a student with what it was graded (the query: db/queries/counted-submissions). */
export interface GradedCandidate {
  submissionId: string;
  createdAt: Date;
  /** The newest report's scores (null without a report, or when the report lacks that part). */
  publicScore: number | null;
  privateScore: number | null;
  /** The newest instructor override, null when there is none. */
  overrideScore: number | null;
}

export interface CountedSubmission {
  submissionId: string;
  submittedAt: Date;
  publicScore: number;
  privateScore: number;
  /** Where the scores came from: the grader's report, or an instructor's override. */
  source: "report" | "override";
}

/** A submission's scores as they count, or null when it has none (not graded, no override). */
export function effectiveScores(c: GradedCandidate): Omit<CountedSubmission, "submissionId" | "submittedAt"> | null {
  if (c.overrideScore !== null) return { publicScore: c.overrideScore, privateScore: c.overrideScore, source: "override" };
  if (c.publicScore === null || c.privateScore === null) return null;
  return { publicScore: c.publicScore, privateScore: c.privateScore, source: "report" };
}

/** Earlier first, then by id, so the choice never depends on the order rows arrive in. */
const earlier = (a: CountedSubmission, b: CountedSubmission) =>
  a.submittedAt.getTime() - b.submittedAt.getTime() || a.submissionId.localeCompare(b.submissionId);

/**
 * The submission that counts among one student's submissions to one assignment, or null when none
 * is graded (rule 2 above).
 */
export function countedSubmission(candidates: readonly GradedCandidate[], rule: CountingRule): CountedSubmission | null {
  let chosen: CountedSubmission | null = null;
  for (const c of candidates) {
    const scores = effectiveScores(c);
    if (!scores) continue;
    const counted: CountedSubmission = { submissionId: c.submissionId, submittedAt: c.createdAt, ...scores };
    if (!chosen) {
      chosen = counted;
      continue;
    }
    const better =
      rule === "latest"
        ? earlier(counted, chosen) > 0
        : counted.publicScore > chosen.publicScore || (counted.publicScore === chosen.publicScore && earlier(counted, chosen) < 0);
    if (better) chosen = counted;
  }
  return chosen;
}

/** True from the deadline on: private-split scores count, and students may see them. */
export function isPastDeadline(assignment: { dueAt: Date }, now: Date = new Date()): boolean {
  return now.getTime() >= assignment.dueAt.getTime();
}

/** The part of the held-out set that counts: private from the deadline on, public before it. */
export function countingSplit(dueAt: Date, now: Date = new Date()): ScoreSplit {
  return isPastDeadline({ dueAt }, now) ? "private" : "public";
}

/** The score a counted submission stands for at this moment (rule 3 above). */
export function countedScore(counted: Pick<CountedSubmission, "publicScore" | "privateScore">, split: ScoreSplit): number {
  return split === "private" ? counted.privateScore : counted.publicScore;
}

/**
 * The rule as the assignment page explains it to students. `ownData`: a `datasets: student` assignment, whose runs
 * are scored on the student's own dataset's test part, with no public/private halves and no shared deadline split.
 */
export function countingRuleText(rule: CountingRule, opts: { ownData?: boolean } = {}): string {
  const which =
    rule === "best"
      ? "your submission with the highest public score counts (a tie goes to the earlier one)"
      : "your newest graded submission counts";
  if (opts.ownData) {
    return (
      `For your grade, ${rule === "best" ? "your submission with the highest score counts (a tie goes to the earlier one)" : which}. ` +
      "Each score is measured on the test part of the dataset the submission names, against the platform's baseline on " +
      "that dataset; a submission whose baseline has not finished yet has no score and does not count until it has. " +
      "When an instructor overrides a submission's score, the override counts instead."
    );
  }
  return (
    `For the leaderboard and your grade, ${which}. Until the deadline its score is the public score you see; ` +
    "after the deadline it is the same submission's private score, from the part of the held-out set nobody saw, " +
    "which is the final one. The private score never picks the submission. When an instructor overrides a " +
    "submission's score, the override replaces both of its scores."
  );
}
