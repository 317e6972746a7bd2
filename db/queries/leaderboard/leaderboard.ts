import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db";
import { submissions, users } from "@/db/schema";
import { latestReports } from "@/db/queries/reports/latest-reports";
import { isPastDeadline, type AssignmentView } from "@/db/queries/reports/find-assignment";
import { anonymousHandle, rankEntries, type LeaderboardEntry, type ScoredSubmission } from "./rank-entries";

/**
 * One row as a viewer may see it. A student's page carries no user id at all — not even in the
 * React row keys of the RSC payload, which anonymity would otherwise leak — so rows are keyed by
 * the anonymous handle and the viewer's own row is flagged instead.
 */
export interface LeaderboardRow extends Omit<LeaderboardEntry, "userId"> {
  /** The student's id, for instructors only (null on a student's page). */
  userId: string | null;
  /** A stable handle that does not reveal the student: the row key. */
  handle: string;
  /** The viewer's own row. */
  isViewer: boolean;
}

export interface Leaderboard {
  entries: LeaderboardRow[];
  /** Whether the private columns are filled (instructor, or after the deadline). */
  showPrivate: boolean;
  anonymous: boolean;
  pastDeadline: boolean;
}

/** Every graded submission of an assignment with the scores of its newest report. */
export async function scoredSubmissions(db: Db, assignmentId: string): Promise<ScoredSubmission[]> {
  const latest = latestReports(db);
  const rows = await db
    .select({
      submissionId: submissions.id,
      userId: submissions.userId,
      name: users.name,
      role: users.role,
      createdAt: submissions.createdAt,
      publicScore: latest.publicScore,
      privateScore: latest.privateScore,
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.userId))
    .innerJoin(latest, eq(latest.submissionId, submissions.id))
    .where(and(eq(submissions.assignmentId, assignmentId), isNotNull(latest.publicScore)));
  // Instructors try the assignment too; they are not ranked against students.
  return rows
    .filter((r) => r.role === "student")
    .map((r) => ({ ...r, publicScore: r.publicScore ?? 0 }));
}

/**
 * The leaderboard of an assignment as a given viewer may see it: best public score per student,
 * ties to the earlier submission; private scores and rank changes for instructors, and for everyone
 * once the deadline has passed. Names are anonymised when the instructor chose so — except the
 * viewer's own row, and never for instructors.
 */
export async function getLeaderboard(
  db: Db,
  assignment: Pick<AssignmentView, "id" | "dueAt" | "leaderboardAnonymous">,
  viewer: { id: string; role: "student" | "instructor" },
  now: Date = new Date(),
): Promise<Leaderboard> {
  const pastDeadline = isPastDeadline(assignment, now);
  const showPrivate = viewer.role === "instructor" || pastDeadline;
  const anonymous = assignment.leaderboardAnonymous;
  const ranked = rankEntries(await scoredSubmissions(db, assignment.id), {
    showPrivate,
    name: (s) =>
      !anonymous || viewer.role === "instructor" || s.userId === viewer.id ? s.name : anonymousHandle(assignment.id, s.userId),
  });
  const entries = ranked.map(({ userId, ...e }) => ({
    ...e,
    userId: viewer.role === "instructor" ? userId : null,
    handle: anonymousHandle(assignment.id, userId),
    isViewer: userId === viewer.id,
  }));
  return { entries, showPrivate, anonymous, pastDeadline };
}
