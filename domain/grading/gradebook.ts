import type { Db } from "@/db";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { bestScores } from "@/db/queries/quiz/best-scores";
import { enrolledStudentCount, gradebookStudents, type GradebookKey } from "@/db/queries/gradebook/gradebook-students";
import { lessonQuizId } from "@/db/queries/gradebook/lesson-quiz-id";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { countedScore, countingSplit, type ScoreSplit } from "./counted-submission";
import { rubricMaxTotal } from "@/domain/grading/grade-rubric";

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
  /** Weighted sum of the three parts; a missing part counts as 0 (nothing handed in). */
  final: number;
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
  config: Pick<AssignmentConfig, "gradebook" | "rubric">;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

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
  const [students, total, quizRows] = await Promise.all([
    // One row more than the page shows says whether there is a next page.
    gradebookStudents(db, assignment, page ? { after, limit: limit + 1 } : undefined),
    enrolledStudentCount(db, assignment.courseId),
    quizId ? bestScores(db, quizId) : Promise.resolve([]),
  ]);
  const hasMore = page !== undefined && students.length > limit;
  const shown = hasMore ? students.slice(0, limit) : students;
  const quizBest = new Map<string, number>();
  for (const q of quizRows) if (q.bestScore !== null && q.maxScore) quizBest.set(q.userId, (100 * q.bestScore) / q.maxScore);
  const maxRubric = rubricMaxTotal(assignment.config.rubric);

  const rows = shown.map((s): GradebookRow => {
    const quizScore = quizBest.get(s.userId) ?? null;
    const assignmentPart = s.counted ? countedScore(s.counted, split) : null;
    const report = s.rubricTotal === null ? null : (100 * s.rubricTotal) / maxRubric;
    const final = weights.quiz * (quizScore ?? 0) + weights.assignment * (assignmentPart ?? 0) + weights.report * (report ?? 0);
    return {
      userId: s.userId,
      name: s.name,
      email: s.email,
      quiz: quizScore === null ? null : round2(quizScore),
      assignment: assignmentPart === null ? null : round2(assignmentPart),
      assignmentSource: s.counted ? (s.counted.source === "override" ? "override" : split) : null,
      report: report === null ? null : round2(report),
      final: round2(final),
    };
  });
  const last = shown[shown.length - 1];
  const nextCursor = hasMore && last ? encodeCursor([last.name, last.email, last.userId]) : null;
  return { rows, weights, assignmentScore, split, total, nextCursor };
}
