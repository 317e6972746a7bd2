import crypto from "node:crypto";

/** One graded submission, as the leaderboard reads it. */
export interface ScoredSubmission {
  submissionId: string;
  userId: string;
  name: string;
  createdAt: Date;
  publicScore: number;
  privateScore: number | null;
}

export interface LeaderboardEntry {
  userId: string;
  /** Display name, or a stable anonymous handle when the instructor chose anonymity. */
  displayName: string;
  submissionId: string;
  submittedAt: Date;
  publicScore: number;
  publicRank: number;
  /** Only when private scores are shown (instructors, or everyone after the deadline). */
  privateScore: number | null;
  privateRank: number | null;
  /** publicRank − privateRank: positive means the student moved up on the private split. */
  rankChange: number | null;
}

/** A stable handle that does not reveal who it is (same student, same handle, on every page load). */
export function anonymousHandle(assignmentId: string, userId: string): string {
  const h = crypto.createHash("sha256").update(`${assignmentId}:${userId}`).digest("hex");
  return `Student ${h.slice(0, 6)}`;
}

const byScoreThenEarlier = (score: (e: ScoredSubmission) => number) => (a: ScoredSubmission, b: ScoredSubmission) =>
  score(b) - score(a) || a.createdAt.getTime() - b.createdAt.getTime() || a.submissionId.localeCompare(b.submissionId);

/**
 * Ranks students by their best public score; a tie goes to the earlier submission (it got there
 * first). Each student's best public submission is the one that counts, and with `showPrivate` its
 * private score is ranked too (the final standings after the deadline), with the rank change.
 */
export function rankEntries(
  scored: ScoredSubmission[],
  opts: { showPrivate: boolean; name: (s: ScoredSubmission) => string },
): LeaderboardEntry[] {
  const best = new Map<string, ScoredSubmission>();
  const order = byScoreThenEarlier((e) => e.publicScore);
  for (const s of scored) {
    const current = best.get(s.userId);
    if (!current || order(s, current) < 0) best.set(s.userId, s);
  }
  const publicOrder = [...best.values()].sort(order);
  const privateRank = new Map<string, number>();
  if (opts.showPrivate) {
    [...publicOrder]
      .sort(byScoreThenEarlier((e) => e.privateScore ?? -1))
      .forEach((s, i) => privateRank.set(s.userId, i + 1));
  }
  return publicOrder.map((s, i) => {
    const pr = opts.showPrivate ? (privateRank.get(s.userId) ?? null) : null;
    return {
      userId: s.userId,
      displayName: opts.name(s),
      submissionId: s.submissionId,
      submittedAt: s.createdAt,
      publicScore: s.publicScore,
      publicRank: i + 1,
      privateScore: opts.showPrivate ? s.privateScore : null,
      privateRank: pr,
      rankChange: pr === null ? null : i + 1 - pr,
    };
  });
}

/**
 * The rank a student would have on the public board with `score`, against everyone else's best
 * (used to show how a regrade moved a student). Ties count in the student's favour. Needs an
 * instructor's board: a student's board carries no user ids.
 */
export function rankWithScore(entries: { userId: string | null; publicScore: number }[], userId: string, score: number): number {
  return 1 + entries.filter((e) => e.userId !== userId && e.publicScore > score).length;
}
