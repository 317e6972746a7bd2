import type { Db } from "@/db";
import { rubricGradeRow, rubricSubmission, upsertRubricGrade } from "@/db/queries/rubric/rubric-grades";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { AssignmentConfig } from "@/grader/assignment/schema";
import { hasHandedInWrittenReport } from "@/domain/written-reports/written-report";
import { notifyScoreChange } from "@/domain/lti/score-change";

type Rubric = AssignmentConfig["rubric"];

export interface RubricGradeInput {
  submissionId: string;
  /** Points per criterion id, as typed into the form (strings are parsed here, against the rubric). */
  scores: Record<string, unknown>;
  comment?: string | null;
  /** The instructor ticked "grade it anyway" for a submission without a written report. */
  confirmNoReport?: boolean;
}

/**
 * What the instructor is told, on the form before grading and in the refusal after, when a submission has
 * no written report: the rubric grades that report, so a grade without one needs an explicit confirmation.
 */
export const NO_WRITTEN_REPORT_WARNING =
  "This submission has no written report — the rubric grades the report, so check that the student handed it in some other way, or that you mean to record points without one (for example 0), and tick \"Grade it anyway\".";

export interface RubricGrade {
  scores: Record<string, number>;
  total: number;
  maxTotal: number;
  comment: string | null;
  submissionId: string | null;
  updatedAt: Date;
}

/** Points available in a rubric. */
export function rubricMaxTotal(rubric: Rubric): number {
  return rubric.criteria.reduce((a, c) => a + c.maxPoints, 0);
}

/**
 * Checks points against the rubric: every criterion needs a number between 0 and its maximum, and
 * no unknown criterion is accepted. Each problem is reported on the field of its criterion.
 * @throws ValidationError with one issue per bad field
 */
export function validateRubricScores(rubric: Rubric, raw: Record<string, unknown>): Record<string, number> {
  const issues: { path: string; message: string }[] = [];
  const scores: Record<string, number> = {};
  for (const c of rubric.criteria) {
    const v = raw[c.id];
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    if (!Number.isFinite(n)) issues.push({ path: c.id, message: `Enter the points for "${c.title}" (0–${c.maxPoints}).` });
    else if (n < 0 || n > c.maxPoints) issues.push({ path: c.id, message: `"${c.title}" takes 0 to ${c.maxPoints} points; ${n} is outside that.` });
    else scores[c.id] = n;
  }
  for (const key of Object.keys(raw)) {
    if (!rubric.criteria.some((c) => c.id === key)) issues.push({ path: key, message: `The rubric has no criterion "${key}".` });
  }
  if (issues.length) throw new ValidationError(issues[0]!.message, issues);
  return scores;
}

/**
 * Grades a student's written report against the assignment's rubric. One grade per student and
 * assignment: grading again replaces it (the submission it was read from is recorded). A submission without
 * a written report is graded only with `confirmNoReport` (refused otherwise, with NO_WRITTEN_REPORT_WARNING
 * on the `confirmNoReport` field, together with any bad points, so the form shows every problem at once).
 * @throws NotFoundError for an unknown submission; ValidationError for points outside the rubric or a missing report not confirmed
 */
export async function gradeRubric(db: Db, input: RubricGradeInput, rubric: Rubric, gradedBy: string): Promise<RubricGrade> {
  const sub = await rubricSubmission(db, input.submissionId);
  if (!sub) throw new NotFoundError("No such submission.");
  // A report is a file attached to the submission, or one written on the platform and handed in.
  const hasReport = sub.writtenReportKey !== null || (await hasHandedInWrittenReport(db, sub.assignmentId, sub.userId));
  const reportIssue = !hasReport && !input.confirmNoReport ? { path: "confirmNoReport", message: NO_WRITTEN_REPORT_WARNING } : null;
  let scores: Record<string, number>;
  try {
    scores = validateRubricScores(rubric, input.scores);
  } catch (e) {
    if (reportIssue && e instanceof ValidationError) throw new ValidationError(reportIssue.message, [reportIssue, ...(e.issues ?? [])]);
    throw e;
  }
  if (reportIssue) throw new ValidationError(reportIssue.message, [reportIssue]);
  const total = Object.values(scores).reduce((a, b) => a + b, 0);
  const now = new Date();
  const values = {
    assignmentId: sub.assignmentId,
    userId: sub.userId,
    submissionId: input.submissionId,
    scores,
    total,
    comment: input.comment?.trim() || null,
    gradedBy,
    updatedAt: now,
  };
  await upsertRubricGrade(db, values);
  await notifyScoreChange({ kind: "assignment", assignmentId: sub.assignmentId, userId: sub.userId, changedAt: now });
  return { scores, total, maxTotal: rubricMaxTotal(rubric), comment: values.comment, submissionId: input.submissionId, updatedAt: now };
}

/** A student's rubric grade for an assignment, or null when not graded yet. */
export async function getRubricGrade(db: Db, assignmentId: string, userId: string, rubric: Rubric): Promise<RubricGrade | null> {
  const row = await rubricGradeRow(db, assignmentId, userId);
  if (!row) return null;
  return {
    scores: row.scores as Record<string, number>,
    total: row.total,
    maxTotal: rubricMaxTotal(rubric),
    comment: row.comment,
    submissionId: row.submissionId,
    updatedAt: row.updatedAt,
  };
}
