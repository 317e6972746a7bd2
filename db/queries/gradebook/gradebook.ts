import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { enrollments, lessons, quizzes, rubricGrades, scoreOverrides, submissions, users } from "@/db/schema";
import { bestScores } from "@/db/queries/quiz/best-scores";
import { isPastDeadline, type AssignmentView } from "@/db/queries/reports/find-assignment";
import { rubricMaxTotal } from "@/db/queries/reports/grade-rubric";
import { latestReports } from "@/db/queries/reports/latest-reports";

/** One student's line in the gradebook; every part on a 0–100 scale, null when there is nothing yet. */
export interface GradebookRow {
  userId: string;
  name: string;
  email: string;
  quiz: number | null;
  assignment: number | null;
  /** Where the assignment score came from: the graded split, or an instructor's override. */
  assignmentSource: "public" | "private" | "override" | null;
  report: number | null;
  /** Weighted sum of the three parts; a missing part counts as 0 (nothing handed in). */
  final: number;
}

export interface Gradebook {
  rows: GradebookRow[];
  weights: AssignmentView["config"]["gradebook"]["weights"];
  assignmentScore: AssignmentView["config"]["gradebook"]["assignmentScore"];
  /** Which split the assignment scores come from (private once the deadline has passed). */
  split: "public" | "private";
}

const round2 = (x: number) => Math.round(x * 100) / 100;

interface CountedSubmission {
  userId: string;
  createdAt: Date;
  score: number;
  source: "public" | "private" | "override";
}

/** The score each graded submission counts for: the newest override, else the split's score. */
async function countedSubmissions(db: Db, assignmentId: string, split: "public" | "private"): Promise<CountedSubmission[]> {
  const latest = latestReports(db);
  const graded = await db
    .select({
      id: submissions.id,
      userId: submissions.userId,
      createdAt: submissions.createdAt,
      publicScore: latest.publicScore,
      privateScore: latest.privateScore,
    })
    .from(submissions)
    .innerJoin(latest, eq(latest.submissionId, submissions.id))
    .where(eq(submissions.assignmentId, assignmentId));
  const overrides = await db
    .select({ submissionId: scoreOverrides.submissionId, score: scoreOverrides.score })
    .from(scoreOverrides)
    .innerJoin(submissions, eq(submissions.id, scoreOverrides.submissionId))
    .where(eq(submissions.assignmentId, assignmentId))
    .orderBy(desc(scoreOverrides.createdAt));
  const newestOverride = new Map<string, number>();
  for (const o of overrides) if (!newestOverride.has(o.submissionId)) newestOverride.set(o.submissionId, o.score);
  const counted: CountedSubmission[] = [];
  for (const g of graded) {
    const override = newestOverride.get(g.id);
    const splitScore = split === "private" ? g.privateScore : g.publicScore;
    if (override !== undefined) counted.push({ userId: g.userId, createdAt: g.createdAt, score: override, source: "override" });
    else if (splitScore !== null) counted.push({ userId: g.userId, createdAt: g.createdAt, score: splitScore, source: split });
  }
  // Overrides of submissions that never produced a report (a failed run an instructor graded by hand) count too.
  const gradedIds = new Set(graded.map((g) => g.id));
  const orphans = [...newestOverride.keys()].filter((id) => !gradedIds.has(id));
  for (const id of orphans) {
    const [s] = await db.select({ userId: submissions.userId, createdAt: submissions.createdAt }).from(submissions).where(eq(submissions.id, id));
    if (s) counted.push({ ...s, score: newestOverride.get(id)!, source: "override" });
  }
  return counted;
}

/**
 * The gradebook of an assignment's course: for every enrolled student, the lesson quiz's best score,
 * the assignment score (best or latest submission, as `gradebook.assignmentScore` in
 * assignment.yaml says; the private split once the deadline has passed, the public one before; an
 * override replaces the graded score), the written-report rubric score, and the final grade by the
 * weights in assignment.yaml.
 * @see ../../../assignments/lesson-6/assignment.yaml gradebook
 */
export async function getGradebook(db: Db, assignment: AssignmentView, now: Date = new Date()): Promise<Gradebook> {
  const { weights, assignmentScore } = assignment.config.gradebook;
  const split = isPastDeadline(assignment, now) ? "private" : "public";

  const students = await db
    .select({ userId: users.id, name: users.name, email: users.email })
    .from(enrollments)
    .innerJoin(users, eq(users.id, enrollments.userId))
    .where(and(eq(enrollments.courseId, assignment.courseId), eq(enrollments.role, "student")))
    .orderBy(asc(users.name), asc(users.email));

  const [quiz] = await db
    .select({ id: quizzes.id })
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .where(and(eq(lessons.courseId, assignment.courseId), eq(lessons.number, assignment.number)))
    .limit(1);
  const quizBest = new Map<string, number>();
  if (quiz) {
    for (const q of await bestScores(db, quiz.id)) {
      if (q.bestScore !== null && q.maxScore) quizBest.set(q.userId, (100 * q.bestScore) / q.maxScore);
    }
  }

  const perStudent = new Map<string, CountedSubmission>();
  for (const c of await countedSubmissions(db, assignment.id, split)) {
    const current = perStudent.get(c.userId);
    const better =
      !current ||
      (assignmentScore === "latest"
        ? c.createdAt > current.createdAt
        : c.score > current.score || (c.score === current.score && c.createdAt < current.createdAt));
    if (better) perStudent.set(c.userId, c);
  }

  const maxRubric = rubricMaxTotal(assignment.config.rubric);
  const rubricRows = await db
    .select({ userId: rubricGrades.userId, total: rubricGrades.total })
    .from(rubricGrades)
    .where(eq(rubricGrades.assignmentId, assignment.id));
  const rubric = new Map(rubricRows.map((r) => [r.userId, (100 * r.total) / maxRubric]));

  const rows = students.map((s): GradebookRow => {
    const quizScore = quizBest.get(s.userId) ?? null;
    const counted = perStudent.get(s.userId) ?? null;
    const report = rubric.get(s.userId) ?? null;
    const final = weights.quiz * (quizScore ?? 0) + weights.assignment * (counted?.score ?? 0) + weights.report * (report ?? 0);
    return {
      ...s,
      quiz: quizScore === null ? null : round2(quizScore),
      assignment: counted ? round2(counted.score) : null,
      assignmentSource: counted?.source ?? null,
      report: report === null ? null : round2(report),
      final: round2(final),
    };
  });
  return { rows, weights, assignmentScore, split };
}
