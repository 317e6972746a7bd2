import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { DbHandle } from "@/db";
import { enrollments } from "@/db/schema";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import {
  reportAssignmentFor,
  saveWrittenReport,
  writtenReportForReading,
  writtenReportState,
} from "@/domain/written-reports/written-report";
import { parseReport } from "@/domain/written-reports/embeds";
import { gradeRubric } from "@/domain/grading/grade-rubric";
import { WrittenReportBody } from "@/app/_components/written-report/written-report-body";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { enrolStudent, failure, visibleText } from "./fixtures";
import { runReport, seedRun, seedStudentDataset } from "./runs-fixtures";

const rubric = { criteria: [{ id: "report", title: "Report", description: "The write-up.", maxPoints: 10 }] };

describe(`the written report written on the platform, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignment: { id: string; courseId: string };
  let owner: string;
  let other: string;
  let prof: string;
  let cnn: string;
  let transfer: string;
  let graded: string;
  let othersRun: string;
  let onOtherDataset: string;

  beforeAll(async () => {
    h = await createTestDb();
    const seeded = await seedAssignment(h.db, tinyAssignmentConfig({ rubric }));
    assignment = { id: seeded.assignmentId, courseId: seeded.courseId };
    owner = (await seedUser(h.db)).id;
    other = (await seedUser(h.db)).id;
    prof = (await seedUser(h.db, "instructor")).id;
    await enrolStudent(h.db, assignment.courseId, owner);
    await enrolStudent(h.db, assignment.courseId, other);
    await h.db.insert(enrollments).values({ courseId: assignment.courseId, userId: prof, role: "instructor" });
    const ds = await seedStudentDataset(h.db, { courseId: assignment.courseId, assignmentId: assignment.id, userId: owner, name: "my clothes" });
    const ds2 = await seedStudentDataset(h.db, { courseId: assignment.courseId, assignmentId: assignment.id, userId: owner, name: "my digits" });
    cnn = await seedRun(h.db, { assignmentId: assignment.id, userId: owner, studentDatasetId: ds, name: "simple cnn", report: runReport({ accuracy: 0.7, macroF1: 0.7123, params: 52000 }) });
    transfer = await seedRun(h.db, { assignmentId: assignment.id, userId: owner, studentDatasetId: ds, name: "fashion transfer", kind: "transfer", report: runReport({ accuracy: 0.85, macroF1: 0.8437, params: 4200, kind: "transfer" }) });
    onOtherDataset = await seedRun(h.db, { assignmentId: assignment.id, userId: owner, studentDatasetId: ds2, name: "digits" });
    graded = await seedRun(h.db, { assignmentId: assignment.id, userId: owner, studentDatasetId: null, name: "graded one" });
    othersRun = await seedRun(h.db, { assignmentId: assignment.id, userId: other, studentDatasetId: null, name: "theirs", report: runReport({ accuracy: 0.9, macroF1: 0.9321 }) });
  });
  afterAll(async () => h.close());

  it("saves a draft and gives it back after a reload, only over the version the editor started from", async () => {
    expect(await writtenReportState(h.db, assignment.id, owner)).toEqual({ body: "", updatedAt: null, handedInAt: null });
    const first = await saveWrittenReport(h.db, { assignment, userId: owner, body: "# Data preparation\n\nFirst draft.", expectedUpdatedAt: null, handIn: false });
    expect(first.handedInAt).toBeNull();
    // A reload reads the same text and version.
    expect(await writtenReportState(h.db, assignment.id, owner)).toEqual(first);
    const second = await saveWrittenReport(h.db, { assignment, userId: owner, body: "# Data preparation\n\nSecond draft.", expectedUpdatedAt: first.updatedAt, handIn: false, now: new Date(Date.now() + 1000) });
    expect((await writtenReportState(h.db, assignment.id, owner)).body).toContain("Second draft.");
    // A tab still holding the first version is told, and the second draft stays.
    const stale = await failure(saveWrittenReport(h.db, { assignment, userId: owner, body: "stale tab", expectedUpdatedAt: first.updatedAt, handIn: false }));
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale.message).toMatch(/changed elsewhere \(another tab or device\)/);
    expect((await writtenReportState(h.db, assignment.id, owner)).updatedAt).toBe(second.updatedAt);
    // Two "new" reports racing: the second is a conflict, not a second row or an overwrite.
    expect(await failure(saveWrittenReport(h.db, { assignment, userId: owner, body: "new tab", expectedUpdatedAt: null, handIn: false }))).toBeInstanceOf(ConflictError);
  });

  it("refuses an embed of another student's run, of an unknown run, and malformed embed lines, naming each line", async () => {
    const { updatedAt } = await writtenReportState(h.db, assignment.id, owner);
    const body = [`# Results`, `{{run ${cnn}}}`, `{{run ${othersRun}}}`, `{{confusion ${crypto.randomUUID()}}}`, `{{chart ${cnn}}}`, `{{compare ${cnn} ${onOtherDataset}}}`].join("\n");
    const e = await failure(saveWrittenReport(h.db, { assignment, userId: owner, body, expectedUpdatedAt: updatedAt, handIn: false }));
    expect(e).toBeInstanceOf(ValidationError);
    const lines = e.issues!.map((i) => i.message);
    expect(lines).toContain(`Line 3: no run of yours has the id ${othersRun.slice(0, 8)}… — a report embeds only your own runs in this course, graded or practice (pick one with "Insert a run").`);
    expect(lines.some((l) => l.startsWith("Line 4: no run of yours has the id"))).toBe(true);
    expect(lines.some((l) => l.startsWith(`Line 5: "{{chart ${cnn}}}" is not an embed`))).toBe(true);
    expect(lines).toContain("Line 6: these runs were trained on different datasets (my clothes, my digits); compare runs on the same dataset.");
    expect(lines).toHaveLength(4);
    // Nothing of the refused text was stored.
    expect((await writtenReportState(h.db, assignment.id, owner)).body).not.toContain(othersRun);
  });

  it("never draws another student's run, even if its id is in the stored text", async () => {
    // Embeds in a fenced code block are text (a report can show the syntax), so this body saves…
    const body = ["```", `{{run ${othersRun}}}`, "```"].join("\n");
    expect(parseReport(body).embeds).toHaveLength(0);
    const { updatedAt } = await writtenReportState(h.db, assignment.id, owner);
    const saved = await saveWrittenReport(h.db, { assignment, userId: owner, body, expectedUpdatedAt: updatedAt, handIn: false });
    const reading = await writtenReportForReading(h.db, { assignmentId: assignment.id, courseId: assignment.courseId, ownerId: owner });
    expect(Object.keys(reading!.runs)).toEqual([]);
    // …and a body naming it as an embed (as if written to the table by hand) renders "cannot be shown", not its figures.
    const html = renderToStaticMarkup(createElement(WrittenReportBody, { body: `{{run ${othersRun}}}`, runs: reading!.runs }));
    expect(visibleText(html)).toContain("Figure 1 cannot be shown");
    expect(html).not.toContain("0.932");
    expect(saved.body).toBe(body);
  });

  it("renders the real figures of the stored reports, and no raw HTML", async () => {
    const { updatedAt } = await writtenReportState(h.db, assignment.id, owner);
    const body = [
      "# Evaluation",
      "The transfer recipe wins. <script>alert('x')</script> <img src=x onerror=alert(1)>",
      `{{run ${transfer}}}`,
      `{{confusion ${cnn}}}`,
      `{{compare ${cnn} ${transfer}}}`,
      "[click](javascript:alert(1))",
    ].join("\n");
    await saveWrittenReport(h.db, { assignment, userId: owner, body, expectedUpdatedAt: updatedAt, handIn: false });
    const reading = await writtenReportForReading(h.db, { assignmentId: assignment.id, courseId: assignment.courseId, ownerId: owner });
    const html = renderToStaticMarkup(createElement(WrittenReportBody, { body: reading!.state.body, runs: reading!.runs }));
    const page = visibleText(html);
    // 0.8437 and 0.7123 are the macro-F1 of the stored report documents, shown to three places.
    expect(page).toContain("Figure 1: metrics of fashion transfer (transfer learning)");
    expect(page).toMatch(/Macro F1 0\.844/);
    expect(page).toContain("Figure 2: confusion matrix of simple cnn");
    expect(html).toContain(`data-run="${cnn}"`);
    expect(page).toContain("Figure 3: comparison of A (simple cnn), B (fashion transfer)");
    expect(page).toContain("Transfer learning wins on this dataset: B (fashion transfer) reaches macro-F1 0.844 against 0.712");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("onerror");
    expect(html).not.toContain("javascript:");
  });

  it("hands the report in, then refuses changes; the rubric then needs no 'grade it anyway'", async () => {
    const { updatedAt } = await writtenReportState(h.db, assignment.id, owner);
    // Before the hand-in, grading a submission without a file needs the confirmation.
    expect((await failure(gradeRubric(h.db, { submissionId: graded, scores: { report: 8 } }, rubric, prof))).issues![0]!.path).toBe("confirmNoReport");
    expect((await failure(saveWrittenReport(h.db, { assignment, userId: owner, body: "  \n", expectedUpdatedAt: updatedAt, handIn: true }))).message).toBe("Write your report before handing it in.");
    const done = await saveWrittenReport(h.db, { assignment, userId: owner, body: `Final.\n{{run ${graded}}}`, expectedUpdatedAt: updatedAt, handIn: true });
    expect(done.handedInAt).not.toBeNull();
    const late = await failure(saveWrittenReport(h.db, { assignment, userId: owner, body: "changed my mind", expectedUpdatedAt: done.updatedAt, handIn: false }));
    expect(late).toBeInstanceOf(ConflictError);
    expect(late.message).toMatch(/^You handed this report in on .*; a handed-in report can no longer be changed\.$/);
    expect((await writtenReportState(h.db, assignment.id, owner)).body).toBe(`Final.\n{{run ${graded}}}`);
    const grade = await gradeRubric(h.db, { submissionId: graded, scores: { report: 8 }, comment: "Clear." }, rubric, prof);
    expect(grade.total).toBe(8);
  });

  it("lets only the course's students write one", async () => {
    expect(await reportAssignmentFor(h.db, assignment.id, owner)).toEqual(assignment);
    expect(await failure(reportAssignmentFor(h.db, assignment.id, prof))).toBeInstanceOf(ForbiddenError);
    const stranger = (await seedUser(h.db)).id;
    expect(await failure(reportAssignmentFor(h.db, assignment.id, stranger))).toBeInstanceOf(ForbiddenError);
    expect((await failure(reportAssignmentFor(h.db, crypto.randomUUID(), owner))).status).toBe(404);
  });

  it("bounds the body", async () => {
    const e = await failure(saveWrittenReport(h.db, { assignment, userId: other, body: "x".repeat(100_001), expectedUpdatedAt: null, handIn: false }));
    expect(e.status).toBe(422);
    expect(e.message).toMatch(/at most 100,000 characters; this one has 100,001/);
  });
});
