import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { quizAttempts, quizzes, lessons, submissions } from "@/db/schema";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { regradeAllSubmissions, regradeSubmission } from "@/db/queries/submissions/regrade-submission";
import { overrideScore, scoreOverrideInput } from "@/domain/grading/override-score";
import { gradeRubric, getRubricGrade } from "@/domain/grading/grade-rubric";
import { getSubmissionDetail } from "@/db/queries/submissions/submission-detail";
import { listSubmissions } from "@/db/queries/submissions/list-submissions";
import { getGradebook } from "@/domain/grading/gradebook";
import { gradebookCsv } from "@/domain/grading/gradebook-csv";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { enrolStudent, gradedSubmission, recordReport, reportWithScores } from "./fixtures";

const rubric = {
  criteria: [
    { id: "data", title: "Data preparation", description: "d", maxPoints: 40 },
    { id: "evaluation", title: "Evaluation", description: "e", maxPoints: 60 },
  ],
};

describe(`instructor tools on ${dbDriverName}`, () => {
  let h: DbHandle;
  let courseId: string;
  let assignmentId: string;
  let prof: Awaited<ReturnType<typeof seedUser>>;

  beforeAll(async () => {
    h = await createTestDb();
    ({ courseId, assignmentId } = await seedAssignment(h.db, tinyAssignmentConfig({ rubric })));
    prof = await seedUser(h.db, "instructor");
  });
  afterAll(async () => h.close());

  it("regrades a finished submission as its next run and keeps the earlier report", async () => {
    const student = await seedUser(h.db);
    const id = await gradedSubmission(h.db, { assignmentId, userId: student.id, publicScore: 50, privateScore: 50 });
    expect(await regradeSubmission(h.db, id)).toBe(2);
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, id));
    expect(row).toMatchObject({ status: "queued", run: 2, attempts: 0 });
    // Until run 2 is graded the lists keep showing run 1's score.
    const listed = await listSubmissions(h.db, assignmentId, { userId: student.id });
    expect(listed.rows[0]).toMatchObject({ publicScore: 50, reportedRun: 1, run: 2 });
    // The grader writes run 2; both reports remain.
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, id));
    await recordReport(h.db, id, 2, reportWithScores(65, 60));
    const detail = await getSubmissionDetail(h.db, { id: prof.id, role: "instructor" }, id);
    expect(detail.runs.map((r) => [r.run, r.publicScore])).toEqual([[1, 50], [2, 65]]);
    // The page shows the newest run's report; older runs are read as scores only.
    expect(detail.runs.map((r) => r.report !== null)).toEqual([false, true]);
  });

  it("refuses to regrade a submission that is still waiting, or one rejected before grading", async () => {
    const student = await seedUser(h.db);
    const [queued] = await h.db.insert(submissions).values({ assignmentId, userId: student.id, kind: "cnn", spec: {}, seed: 1 }).returning();
    await expect(regradeSubmission(h.db, queued!.id)).rejects.toMatchObject({ status: 409 });
    const [rejected] = await h.db.insert(submissions).values({ assignmentId, userId: student.id, kind: "cnn", spec: {}, seed: 1, status: "rejected" }).returning();
    await expect(regradeSubmission(h.db, rejected!.id)).rejects.toThrow(/nothing to regrade/);
    await expect(regradeSubmission(h.db, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
  });

  it("regrades all finished submissions of the assignment at once", async () => {
    const ids = await regradeAllSubmissions(h.db, assignmentId);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    const rows = await h.db.select().from(submissions).where(eq(submissions.assignmentId, assignmentId));
    expect(rows.filter((r) => ids.includes(r.id)).every((r) => r.status === "queued")).toBe(true);
    expect(rows.some((r) => r.status === "rejected")).toBe(true);
  });

  it("requires a score in range and a reason for an override, with messages per field", () => {
    const bad = scoreOverrideInput.safeParse({ submissionId: crypto.randomUUID(), score: "120", reason: "" });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(paths).toContainEqual(["score", "The score must be at most 100."]);
    expect(paths).toContainEqual(["reason", "Give a reason of at least 5 characters; the student sees it."]);
    expect(scoreOverrideInput.safeParse({ submissionId: crypto.randomUUID(), score: "", reason: "because" }).error!.issues[0]!.message).toBe("Enter a score between 0 and 100.");
  });

  it("checks rubric points against each criterion's maximum and names the criterion", async () => {
    const student = await seedUser(h.db);
    const id = await gradedSubmission(h.db, { assignmentId, userId: student.id, publicScore: 10, privateScore: 10 });
    await expect(gradeRubric(h.db, { submissionId: id, scores: { data: "50", evaluation: "10" }, confirmNoReport: true }, rubric, prof.id)).rejects.toMatchObject({
      status: 422,
      issues: [{ path: "data", message: '"Data preparation" takes 0 to 40 points; 50 is outside that.' }],
    });
    await expect(gradeRubric(h.db, { submissionId: id, scores: { data: "30", style: "3" }, confirmNoReport: true }, rubric, prof.id)).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: "evaluation" }), expect.objectContaining({ path: "style" })]),
    });
    await gradeRubric(h.db, { submissionId: id, scores: { data: "30", evaluation: "45" }, comment: "clear", confirmNoReport: true }, rubric, prof.id);
    // Grading again replaces the grade.
    await gradeRubric(h.db, { submissionId: id, scores: { data: "35", evaluation: "45" }, confirmNoReport: true }, rubric, prof.id);
    expect(await getRubricGrade(h.db, assignmentId, student.id, rubric)).toMatchObject({ total: 80, maxTotal: 100, scores: { data: 35, evaluation: 45 } });
  });

  describe("the gradebook", () => {
    let ann: Awaited<ReturnType<typeof seedUser>>;
    let ben: Awaited<ReturnType<typeof seedUser>>;

    beforeAll(async () => {
      ann = await seedUser(h.db);
      ben = await seedUser(h.db);
      await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.status, "queued")); // finish the regrades above
      for (const s of [ann, ben]) await enrolStudent(h.db, courseId, s.id);
      // A lesson 6 quiz in the course, where ann scored 8/10 at best.
      const [lesson] = await h.db.insert(lessons).values({ courseId, slug: "lesson-6", number: 6, title: "L6", contentHash: "x" }).returning();
      const [quiz] = await h.db.insert(quizzes).values({ lessonId: lesson!.id, slug: "q", title: "Quiz", settings: {}, contentHash: "x" }).returning();
      for (const [i, score] of [6, 8].entries()) {
        await h.db.insert(quizAttempts).values({ quizId: quiz!.id, userId: ann.id, attemptNumber: i + 1, seed: 1, layout: [], score, maxScore: 10, submittedAt: new Date() });
      }
      await gradedSubmission(h.db, { assignmentId, userId: ann.id, publicScore: 60, privateScore: 55, createdAt: new Date("2029-01-01T00:00:00Z") });
      await gradedSubmission(h.db, { assignmentId, userId: ann.id, publicScore: 90, privateScore: 30, createdAt: new Date("2029-01-02T00:00:00Z") });
      const benId = await gradedSubmission(h.db, { assignmentId, userId: ben.id, publicScore: 40, privateScore: 45 });
      await overrideScore(h.db, { submissionId: benId, score: 70, reason: "grader crashed on a valid model" }, prof.id);
      await gradeRubric(h.db, { submissionId: benId, scores: { data: "20", evaluation: "30" }, confirmNoReport: true }, rubric, prof.id);
    });

    it("combines quiz, assignment and report by the weights in assignment.yaml", async () => {
      const book = await getGradebook(h.db, await findAssignmentById(h.db, assignmentId), new Date("2029-06-01T00:00:00Z"));
      const annRow = book.rows.find((r) => r.userId === ann.id)!;
      // Before the deadline: best public score (90); quiz 80; no report: 0.2*80 + 0.5*90 + 0.3*0.
      expect(annRow).toMatchObject({ quiz: 80, assignment: 90, assignmentSource: "public", report: null, final: 61 });
      const benRow = book.rows.find((r) => r.userId === ben.id)!;
      // The override replaces the graded 40; the rubric 50/100 counts 0.3.
      expect(benRow).toMatchObject({ quiz: null, assignment: 70, assignmentSource: "override", report: 50, final: 50 });
    });

    it("uses the private score of the same submission once the deadline has passed", async () => {
      const book = await getGradebook(h.db, await findAssignmentById(h.db, assignmentId), new Date("2031-01-01T00:00:00Z"));
      expect(book.split).toBe("private");
      // ann's submission that counts is still the one with the best public score (90); its private score is 30.
      // (Her earlier submission's private 55 does not count: the private score never picks the submission.)
      expect(book.rows.find((r) => r.userId === ann.id)).toMatchObject({ assignment: 30, assignmentSource: "private" });
      // An override replaces both scores of its submission.
      expect(book.rows.find((r) => r.userId === ben.id)).toMatchObject({ assignment: 70, assignmentSource: "override" });
    });

    it("pages through the students by name with a cursor, every student once", async () => {
      const all = await getGradebook(h.db, await findAssignmentById(h.db, assignmentId), new Date("2029-06-01T00:00:00Z"));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof getGradebook>> = await getGradebook(h.db, await findAssignmentById(h.db, assignmentId), new Date("2029-06-01T00:00:00Z"), { cursor, limit: 1 });
        expect(page.rows.length).toBeLessThanOrEqual(1);
        seen.push(...page.rows.map((r) => r.userId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.rows.map((r) => r.userId));
      expect(all.total).toBe(seen.length);
      // A cursor someone edited is the first page, not an error.
      const edited = await getGradebook(h.db, await findAssignmentById(h.db, assignmentId), new Date("2029-06-01T00:00:00Z"), { cursor: "not-a-cursor", limit: 1 });
      expect(edited.rows.map((r) => r.userId)).toEqual(seen.slice(0, 1));
    });

    it("exports one CSV row per student with the same numbers", async () => {
      const book = await getGradebook(h.db, await findAssignmentById(h.db, assignmentId), new Date("2029-06-01T00:00:00Z"));
      const lines = gradebookCsv(book).trim().split("\r\n");
      expect(lines[0]).toBe("name,email,quiz,assignment,assignment_source,report,final");
      expect(lines).toContain(`${ann.name},${ann.email},80,90,public,,61`);
      expect(lines).toContain(`${ben.name},${ben.email},,70,override,50,50`);
    });
  });
});
