import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { submissions } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { getSubmissionDetail } from "@/db/queries/submissions/submission-detail";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { getRubricGrade, gradeRubric, NO_WRITTEN_REPORT_WARNING } from "@/domain/grading/grade-rubric";
import { RubricGradeView } from "@/app/submissions/[id]/rubric-grade";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { gradedSubmission, visibleText } from "./fixtures";

const rubric = {
  criteria: [
    { id: "data", title: "Data preparation", description: "How the images were prepared.", maxPoints: 40 },
    { id: "evaluation", title: "Evaluation", description: "Reads the metrics.", maxPoints: 60 },
  ],
};

describe(`the rubric grade on a student's submission page, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let prof: { id: string; role: "instructor" };
  let owner: { id: string; role: "student" };
  let other: { id: string; role: "student" };
  let withReport: string;
  let withoutReport: string;

  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db, tinyAssignmentConfig({ rubric })));
    prof = { id: (await seedUser(h.db, "instructor")).id, role: "instructor" };
    owner = { id: (await seedUser(h.db)).id, role: "student" };
    other = { id: (await seedUser(h.db)).id, role: "student" };
    withReport = await gradedSubmission(h.db, { assignmentId, userId: owner.id, publicScore: 70, privateScore: 60 });
    await h.db.update(submissions).set({ writtenReportKey: "reports/x.pdf", writtenReportType: "pdf" }).where(eq(submissions.id, withReport));
    withoutReport = await gradedSubmission(h.db, { assignmentId, userId: other.id, publicScore: 50, privateScore: 50 });
  });
  afterAll(async () => h.close());

  /** What the page renders for this viewer of this submission: it 404s for anyone but the owner and instructors. */
  async function rubricSection(viewer: { id: string; role: "student" | "instructor" }, submissionId: string) {
    const detail = await getSubmissionDetail(h.db, viewer, submissionId);
    const assignment = await findAssignmentById(h.db, detail.submission.assignmentId);
    const grade = await getRubricGrade(h.db, assignment.id, viewer.id, assignment.config.rubric);
    return visibleText(
      renderToStaticMarkup(
        createElement(RubricGradeView, { rubric: assignment.config.rubric, weight: assignment.config.gradebook.weights.report, grade, submissionId }),
      ),
    );
  }

  it("tells the student their report is not graded yet, and what it weighs", async () => {
    const page = await rubricSection(owner, withReport);
    expect(page).toContain("Not graded yet");
    expect(page).toContain("counts 30% of the lesson grade");
  });

  it("shows the student each criterion's points, the total, its weight and the instructor's comments once graded", async () => {
    await gradeRubric(h.db, { submissionId: withReport, scores: { data: "30", evaluation: "45" }, comment: "Clear evaluation;\nsay why circles are confused." }, rubric, prof.id);
    const page = await rubricSection(owner, withReport);
    expect(page).not.toContain("Not graded yet");
    expect(page).toMatch(/Data preparation How the images were prepared\. 30 \/ 40/);
    expect(page).toMatch(/Evaluation Reads the metrics\. 45 \/ 60/);
    expect(page).toContain("Total 75 / 100");
    expect(page).toContain("75 of 100 points is 75%, worth 22.5 of the 30 points the report carries in the lesson grade");
    expect(page).toContain("Instructor's comments Clear evaluation; say why circles are confused.");
  });

  it("keeps the page, and so the grade, from any other student: not found", async () => {
    await expect(getSubmissionDetail(h.db, other, withReport)).rejects.toBeInstanceOf(NotFoundError);
    // Their own page shows their own (absent) grade, never the owner's.
    expect(await rubricSection(other, withoutReport)).toContain("Not graded yet");
  });

  it("refuses to grade a submission without a written report unless the instructor confirms, with the form's warning", async () => {
    await expect(gradeRubric(h.db, { submissionId: withoutReport, scores: { data: "0", evaluation: "0" } }, rubric, prof.id)).rejects.toMatchObject({
      status: 422,
      message: NO_WRITTEN_REPORT_WARNING,
      issues: [{ path: "confirmNoReport", message: NO_WRITTEN_REPORT_WARNING }],
    });
    expect(NO_WRITTEN_REPORT_WARNING).toMatch(/^This submission has no written report — /);
    // Bad points come back together with the warning, so the form shows every problem at once.
    await expect(gradeRubric(h.db, { submissionId: withoutReport, scores: { data: "99", evaluation: "0" } }, rubric, prof.id)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: "confirmNoReport" }), expect.objectContaining({ path: "data" })],
    });
    expect(await getRubricGrade(h.db, assignmentId, other.id, rubric)).toBeNull();
    // Confirmed ("Grade it anyway"), the grade is saved and the student sees it.
    await gradeRubric(h.db, { submissionId: withoutReport, scores: { data: "0", evaluation: "0" }, comment: "No report was handed in.", confirmNoReport: true }, rubric, prof.id);
    const page = await rubricSection(other, withoutReport);
    expect(page).toContain("Total 0 / 100");
    expect(page).toContain("No report was handed in.");
  });

  it("grades a submission with a written report without asking for a confirmation", async () => {
    await expect(gradeRubric(h.db, { submissionId: withReport, scores: { data: "40", evaluation: "60" } }, rubric, prof.id)).resolves.toMatchObject({ total: 100 });
  });
});
