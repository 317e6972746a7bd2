import type { Db } from "@/db";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { bestScores } from "@/db/queries/quiz/best-scores";
import { quizBestOf, type QuizBest } from "@/db/queries/gradebook/quiz-best-of";
import { enrolledStudentCount, gradebookStudents, type GradebookKey, type GradebookStudentRow } from "@/db/queries/gradebook/gradebook-students";
import { lessonQuizId } from "@/db/queries/gradebook/lesson-quiz-id";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { countedScore, countingSplit, type ScoreSplit } from "./counted-submission";
import { rubricMaxTotal } from "@/domain/grading/grade-rubric";
import { countedSplitScores } from "@/db/queries/baselines/counted-improvements";

/** Students per gradebook page. */
export const GRADEBOOK_PAGE_SIZE = 100;

/** One student's line in the gradebook; every part on a 0–100 scale, null when there is nothing yet. */
export interface GradebookRow {
  userId: string;
  name: string;
  email: string;
  quiz: number | null;
  /** The score of the student's submission that counts (domain/grading/counted-submission.ts). */
  assignment: number | null;
  /** Where the assignment score came from: the split that counts now, or an instructor's override. */
  assignmentSource: "public" | "private" | "override" | null;
  report: number | null;
  /**
   * The assignment's own grade: its two parts (the submission that counts and the written report)
   * weighted as in `final`, without the quiz, on 0–100 (see assignmentGrade). Null when both are missing.
   */
  assignmentGrade: number | null;
  /** Weighted sum of the three parts; a missing part counts as 0 (nothing handed in). */
  final: number;
  /**
   * `score: kind: improvement` assignments (`datasets: student`): what the assignment part stands on — the counted
   * submission's metric and the platform's baseline's on the same dataset. Absent for other assignments; null when
   * the student has no scored submission.
   */
  metricPart?: MetricPart | null;
}

/** The metric part of an improvement score: the student's metric, the baseline's, and the difference the points come from. */
export interface MetricPart {
  metric: string;
  student: number;
  baseline: number;
  improvement: number;
  baselineSubmissionId: string;
}

export interface Gradebook {
  rows: GradebookRow[];
  weights: AssignmentConfig["gradebook"]["weights"];
  assignmentScore: AssignmentConfig["gradebook"]["assignmentScore"];
  /** Which split the assignment scores come from (private once the deadline has passed). */
  split: ScoreSplit;
  /** Students enrolled (all pages). */
  total: number;
  /** The cursor of the next page, null on the last one (and when every row was asked for). */
  nextCursor: string | null;
}

export interface GradebookAssignment {
  id: string;
  courseId: string;
  number: number;
  dueAt: Date;
  config: Pick<AssignmentConfig, "gradebook" | "rubric"> & Partial<Pick<AssignmentConfig, "score">>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

type Weights = AssignmentConfig["gradebook"]["weights"];

/**
 * The assignment's own grade (0–100): the assignment and report parts weighted as in the final grade,
 * renormalised without the quiz — which an LMS grades in a column of its own, so counting it here
 * too would count it twice. A missing part counts 0, as in the final grade; null when both parts are
 * missing (nothing handed in or graded yet) or the weights give them nothing.
 * `final = w.quiz × quiz + (w.assignment + w.report) × assignmentGrade`.
 */
export function assignmentGrade(parts: { assignment: number | null; report: number | null }, weights: Weights): number | null {
  const w = weights.assignment + weights.report;
  if ((parts.assignment === null && parts.report === null) || w <= 0) return null;
  return (weights.assignment * (parts.assignment ?? 0) + weights.report * (parts.report ?? 0)) / w;
}

/** One gradebook line from the stored rows of a student: the rule of every figure on it. */
function gradebookRow(s: GradebookStudentRow, quizScore: number | null, split: ScoreSplit, weights: Weights, maxRubric: number): GradebookRow {
  const assignmentPart = s.counted ? countedScore(s.counted, split) : null;
  const report = s.rubricTotal === null ? null : (100 * s.rubricTotal) / maxRubric;
  const final = weights.quiz * (quizScore ?? 0) + weights.assignment * (assignmentPart ?? 0) + weights.report * (report ?? 0);
  const own = assignmentGrade({ assignment: assignmentPart, report }, weights);
  return {
    userId: s.userId,
    name: s.name,
    email: s.email,
    quiz: quizScore === null ? null : round2(quizScore),
    assignment: assignmentPart === null ? null : round2(assignmentPart),
    assignmentSource: s.counted ? (s.counted.source === "override" ? "override" : split) : null,
    report: report === null ? null : round2(report),
    assignmentGrade: own === null ? null : round2(own),
    final: round2(final),
  };
}

/** A quiz's best score on 0–100, null without a submitted attempt. */
export function quizPercent(q: { bestScore: number | null; maxScore: number | null }): number | null {
  return q.bestScore !== null && q.maxScore ? (100 * q.bestScore) / q.maxScore : null;
}

/**
 * The gradebook of an assignment's course: for every enrolled student, the lesson quiz's best score,
 * the score of their submission that counts (the same one the leaderboard shows: chosen by
 * `gradebook.assignmentScore`, public score before the deadline, private after, an override
 * replacing both), the written-report rubric score, and the final grade by the weights in
 * assignment.yaml. With `page`, one page of students by name (cursor pagination); without, all of
 * them (the CSV export).
 * @see ../../assignments/lesson-6/assignment.yaml gradebook
 */
export async function getGradebook(
  db: Db,
  assignment: GradebookAssignment,
  now: Date = new Date(),
  page?: { cursor?: string | null; limit?: number },
): Promise<Gradebook> {
  const { weights, assignmentScore } = assignment.config.gradebook;
  const split = countingSplit(assignment.dueAt, now);
  const limit = page?.limit ?? GRADEBOOK_PAGE_SIZE;
  const key = page ? decodeCursor(page.cursor, 3) : null;
  const after: GradebookKey | null = key ? { name: key[0]!, email: key[1]!, userId: key[2]! } : null;
  const quizId = await lessonQuizId(db, assignment.courseId, assignment.number);
  const [students, total] = await Promise.all([
    // One row more than the page shows says whether there is a next page.
    gradebookStudents(db, assignment, page ? { after, limit: limit + 1 } : undefined),
    enrolledStudentCount(db, assignment.courseId),
  ]);
  const hasMore = page !== undefined && students.length > limit;
  const shown = hasMore ? students.slice(0, limit) : students;
  // The quiz scores of the students shown only: reading the whole course's sorted and mapped
  // 2,001 rows for every page of 100 (bench:web's profile of the gradebook).
  const quizBest = new Map<string, number>();
  const quizRows = quizId ? await quizBestOf(db, quizId, shown.map((s) => s.userId)) : new Map<string, QuizBest>();
  for (const [userId, q] of quizRows) {
    const p = quizPercent(q);
    if (p !== null) quizBest.set(userId, p);
  }
  const maxRubric = rubricMaxTotal(assignment.config.rubric);

  const rows = shown.map((s) => gradebookRow(s, quizBest.get(s.userId) ?? null, split, weights, maxRubric));
  if (assignment.config.score?.kind === "improvement") {
    // Each student is on their own data: the gradebook shows what their points stand on, beside the points.
    const scores = await countedSplitScores(db, assignment.id, rows.map((r) => r.userId), split);
    for (const r of rows) {
      const sc = scores.get(r.userId);
      r.metricPart = sc?.improvement
        ? { metric: sc.metric, student: sc.value, baseline: sc.improvement.baselineValue, improvement: sc.improvement.delta, baselineSubmissionId: sc.improvement.baselineSubmissionId }
        : null;
    }
  }
  const last = shown[shown.length - 1];
  const nextCursor = hasMore && last ? encodeCursor([last.name, last.email, last.userId]) : null;
  return { rows, weights, assignmentScore, split, total, nextCursor };
}

/**
 * One student's gradebook line, by the same rules as getGradebook but reading only that student's
 * rows (LTI grade passback recomputes a student's grades on each of their score changes). Null when
 * the user is not enrolled in the assignment's course as a student.
 */
export async function studentGradebookRow(db: Db, assignment: GradebookAssignment, userId: string, now: Date = new Date()): Promise<GradebookRow | null> {
  const { weights } = assignment.config.gradebook;
  const quizId = await lessonQuizId(db, assignment.courseId, assignment.number);
  const [student] = await gradebookStudents(db, assignment, undefined, userId);
  if (!student) return null;
  const [quiz] = quizId ? await bestScores(db, quizId, userId) : [];
  return gradebookRow(student, quiz ? quizPercent(quiz) : null, countingSplit(assignment.dueAt, now), weights, rubricMaxTotal(assignment.config.rubric));
}
