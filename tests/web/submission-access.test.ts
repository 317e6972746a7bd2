import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { getSubmissionDetail } from "@/db/queries/submissions/submission-detail";
import { visibleReport } from "@/domain/grading/visible-report";
import { handleSubmissionEvents } from "@/app/api/submissions/[id]/events/submission-event-stream";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser } from "../queue/fixtures/builders";
import { gradedSubmission, reportWithScores } from "./fixtures";

describe(`who may see a submission and its report, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let submissionId: string;
  let owner: { id: string; role: "student" };
  let other: { id: string; role: "student" };
  let prof: { id: string; role: "instructor" };

  beforeAll(async () => {
    h = await createTestDb();
    const { assignmentId } = await seedAssignment(h.db);
    owner = { id: (await seedUser(h.db)).id, role: "student" };
    other = { id: (await seedUser(h.db)).id, role: "student" };
    prof = { id: (await seedUser(h.db, "instructor")).id, role: "instructor" };
    submissionId = await gradedSubmission(h.db, { assignmentId, userId: owner.id, publicScore: 70, privateScore: 40 });
  });
  afterAll(async () => h.close());

  it("shows the owner their submission with its report", async () => {
    const d = await getSubmissionDetail(h.db, owner, submissionId);
    expect(d.runs).toHaveLength(1);
    expect(d.runs[0]!.publicScore).toBe(70);
  });

  it("answers another student with not-found, exactly as for an id that does not exist", async () => {
    await expect(getSubmissionDetail(h.db, other, submissionId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getSubmissionDetail(h.db, other, crypto.randomUUID())).rejects.toThrow("No such submission.");
    await expect(getSubmissionDetail(h.db, other, "not-a-uuid")).rejects.toThrow("No such submission.");
  });

  it("lets an instructor see any submission", async () => {
    await expect(getSubmissionDetail(h.db, prof, submissionId)).resolves.toMatchObject({ owner: { id: owner.id } });
  });

  it("refuses another student's live progress stream with a 404", async () => {
    const req = new Request("http://test/events");
    await expect(handleSubmissionEvents(req, other, submissionId, h.db)).rejects.toMatchObject({ status: 404 });
  });
});

describe("what a report shows a student", () => {
  const report = reportWithScores(70, 40);

  it("shows only the public split before the deadline", () => {
    const v = visibleReport(report, { isInstructor: false, pastDeadline: false });
    expect(v.splits).toEqual(["public"]);
    expect(Object.keys(v.metrics)).toEqual(["public"]);
    expect(Object.keys(v.scores)).toEqual(["public"]);
    // Nothing private survives anywhere in what the page receives.
    const text = JSON.stringify(v);
    expect(text).not.toContain('"private"');
    expect(v.scores.public!.score).toBe(70);
  });

  it("adds the private split and the whole set after the deadline", () => {
    const v = visibleReport(report, { isInstructor: false, pastDeadline: true });
    expect(v.splits).toEqual(["public", "private", "all"]);
    expect(v.scores.private!.score).toBe(40);
  });

  it("shows instructors every split at any time", () => {
    expect(visibleReport(report, { isInstructor: true, pastDeadline: false }).metrics.private!.accuracy).toBeCloseTo(0.4);
  });
});
