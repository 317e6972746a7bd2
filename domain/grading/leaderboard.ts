import crypto from "node:crypto";
import type { Db } from "@/db";
import { rankedCountedSubmissions } from "@/db/queries/leaderboard/ranked-counted-submissions";
import { countedScore, countingSplit, type ScoreSplit } from "./counted-submission";

/** Rows a leaderboard page shows above the viewer's own (which is always shown). */
export const LEADERBOARD_TOP = 50;

/**
 * One row as a viewer may see it. A student's page carries no user id at all — not even in the
 * React row keys of the RSC payload, which anonymity would otherwise leak — so rows are keyed by
 * the anonymous handle and the viewer's own row is flagged instead.
 */
export interface LeaderboardRow {
  /** The student's id, for instructors only (null on a student's page). */
  userId: string | null;
  /** A stable handle that does not reveal the student: the row key. */
  handle: string;
  /** Display name, or the handle when the instructor chose anonymity. */
  displayName: string;
  isViewer: boolean;
  submissionId: string;
  submittedAt: Date;
  /** The standing now: by the public score before the deadline, the private one after. */
  rank: number;
  /** The score that counts now (domain/grading/counted-submission.ts). */
  score: number;
  /** The counted score is an instructor's override (shown to instructors and to the student themself). */
  overridden: boolean;
  publicScore: number;
  publicRank: number;
  /** Only when private scores are shown (instructors, or everyone after the deadline). */
  privateScore: number | null;
  privateRank: number | null;
  /** publicRank − privateRank: positive means the student moved up on the private split. */
  rankChange: number | null;
}

export interface Leaderboard {
  /** The top rows by `rank`. */
  entries: LeaderboardRow[];
  /** The viewer's own row when it ranks below the top ones (null when it is among them, or absent). */
  viewerBelow: LeaderboardRow | null;
  /** Students on the board (the page shows the top ones). */
  total: number;
  /** Which score the ranks are by: public until the deadline, private after. */
  split: ScoreSplit;
  /** Whether the private columns are filled (instructor, or after the deadline). */
  showPrivate: boolean;
  anonymous: boolean;
  pastDeadline: boolean;
}

/** A stable handle that does not reveal who it is (same student, same handle, on every page load). */
export function anonymousHandle(assignmentId: string, userId: string): string {
  const h = crypto.createHash("sha256").update(`${assignmentId}:${userId}`).digest("hex");
  return `Student ${h.slice(0, 6)}`;
}

/**
 * The leaderboard of an assignment as a viewer may see it: each student's submission that counts
 * (the same one the gradebook takes), ranked by its score now — public until the deadline, private
 * after — ties to the earlier submission; the top `limit` and the viewer's own row. Private scores and
 * rank changes for instructors, and for everyone once the deadline has passed. Names are anonymised
 * when the instructor chose so — except the viewer's own row, and never for instructors.
 */
export async function getLeaderboard(
  db: Db,
  assignment: { id: string; dueAt: Date; leaderboardAnonymous: boolean },
  viewer: { id: string; role: "student" | "instructor" },
  now: Date = new Date(),
  limit: number = LEADERBOARD_TOP,
): Promise<Leaderboard> {
  const split = countingSplit(assignment.dueAt, now);
  const pastDeadline = split === "private";
  const isInstructor = viewer.role === "instructor";
  const showPrivate = isInstructor || pastDeadline;
  const anonymous = assignment.leaderboardAnonymous;
  const { rows, total } = await rankedCountedSubmissions(db, assignment.id, { orderBy: split, limit, viewerId: viewer.id });
  const all = rows.map((r): LeaderboardRow => {
    const handle = anonymousHandle(assignment.id, r.userId);
    const isViewer = r.userId === viewer.id;
    return {
      userId: isInstructor ? r.userId : null,
      handle,
      displayName: !anonymous || isInstructor || isViewer ? r.name : handle,
      isViewer,
      submissionId: r.submissionId,
      submittedAt: r.submittedAt,
      rank: split === "private" ? r.privateRank : r.publicRank,
      score: countedScore(r, split),
      overridden: (isInstructor || isViewer) && r.source === "override",
      publicScore: r.publicScore,
      publicRank: r.publicRank,
      privateScore: showPrivate ? r.privateScore : null,
      privateRank: showPrivate ? r.privateRank : null,
      rankChange: showPrivate ? r.publicRank - r.privateRank : null,
    };
  });
  const entries = all.filter((e) => e.rank <= limit);
  const viewerBelow = all.find((e) => e.rank > limit) ?? null;
  return { entries, viewerBelow, total, split, showPrivate, anonymous, pastDeadline };
}
