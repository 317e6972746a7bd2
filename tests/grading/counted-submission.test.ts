import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { assignments, countedSubmissions } from "@/db/schema";
import { countedScore, countedSubmission, countingSplit } from "@/domain/grading/counted-submission";
import { recountStaleAssignments } from "@/domain/grading/recount";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { getLeaderboard } from "@/domain/grading/leaderboard";
import { getGradebook } from "@/domain/grading/gradebook";
import { overrideScore } from "@/domain/grading/override-score";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { enrolStudent, gradedSubmission } from "../web/fixtures";

const BEFORE_DEADLINE = new Date("2029-12-01T00:00:00Z");
const AFTER_DEADLINE = new Date("2030-01-02T00:00:00Z"); // the tiny assignment is due 2030-01-01

/**
 * Issue 11: the leaderboard ranked by the private score of the best *public* submission, the gradebook
 * took the best *private* score, and an override showed in the gradebook (62.5) but not on the
 * leaderboard (38.05). Both pages now read the one submission that counts.
 */
describe(`the submission that counts, on the leaderboard and in the gradebook, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let eve: Awaited<ReturnType<typeof seedUser>>;
  let fay: Awaited<ReturnType<typeof seedUser>>;
  let prof: Awaited<ReturnType<typeof seedUser>>;

  beforeAll(async () => {
    h = await createTestDb();
    let courseId: string;
    ({ courseId, assignmentId } = await seedAssignment(h.db, tinyAssignmentConfig()));
    eve = await seedUser(h.db);
    fay = await seedUser(h.db);
    prof = await seedUser(h.db, "instructor");
    for (const s of [eve, fay]) await enrolStudent(h.db, courseId, s.id);
    const at = (min: number) => new Date(Date.UTC(2029, 10, 1, 12, min));
    // eve's best public submission is not her best private one.
    await gradedSubmission(h.db, { assignmentId, userId: eve.id, publicScore: 80, privateScore: 50, createdAt: at(1) });
    await gradedSubmission(h.db, { assignmentId, userId: eve.id, publicScore: 60, privateScore: 90, createdAt: at(2) });
    // fay's only graded run scored 38.05; the instructor set it to 62.5 by hand.
    const fays = await gradedSubmission(h.db, { assignmentId, userId: fay.id, publicScore: 38.05, privateScore: 36.4, createdAt: at(3) });
    await overrideScore(h.db, { submissionId: fays, score: 62.5, reason: "The grader used the wrong held-out file." }, prof.id);
  });
  afterAll(async () => h.close());

  const pages = async (now: Date) => {
    const assignment = await findAssignmentById(h.db, assignmentId);
    const board = await getLeaderboard(h.db, assignment, { id: prof.id, role: "instructor" }, now);
    const book = await getGradebook(h.db, assignment, now);
    const pastDeadline = now >= assignment.dueAt;
    const onBoard = (userId: string) => {
      const e = board.entries.find((r) => r.userId === userId)!;
      return pastDeadline ? e.privateScore : e.publicScore;
    };
    const inBook = (userId: string) => book.rows.find((r) => r.userId === userId)!.assignment;
    return { onBoard, inBook };
  };

  it("after the deadline both count the private score of the submission chosen by its public score", async () => {
    const { onBoard, inBook } = await pages(AFTER_DEADLINE);
    expect(onBoard(eve.id)).toBe(50);
    expect(inBook(eve.id)).toBe(50);
  });

  it("before the deadline both count the public score of the same submission", async () => {
    const { onBoard, inBook } = await pages(BEFORE_DEADLINE);
    expect(onBoard(eve.id)).toBe(80);
    expect(inBook(eve.id)).toBe(80);
  });

  it("shows an instructor's override on the leaderboard as in the gradebook, before and after the deadline", async () => {
    for (const now of [BEFORE_DEADLINE, AFTER_DEADLINE]) {
      const { onBoard, inBook } = await pages(now);
      expect(inBook(fay.id)).toBe(62.5);
      expect(onBoard(fay.id)).toBe(62.5);
    }
  });
});

describe("the counting rule", () => {
  const at = (min: number) => new Date(Date.UTC(2029, 10, 1, 12, min));
  const graded = (id: string, min: number, publicScore: number | null, privateScore: number | null, overrideScore: number | null = null) =>
    ({ submissionId: id, createdAt: at(min), publicScore, privateScore, overrideScore });

  it("with 'best' takes the highest public score, a tie going to the earlier submission", () => {
    const c = countedSubmission([graded("b", 2, 70, 10), graded("a", 1, 70, 20), graded("c", 3, 60, 99)], "best");
    expect(c).toMatchObject({ submissionId: "a", publicScore: 70, privateScore: 20, source: "report" });
  });

  it("with 'latest' takes the newest graded submission, whatever it scored", () => {
    expect(countedSubmission([graded("a", 1, 90, 90), graded("b", 2, 10, 10), graded("c", 3, null, null)], "latest")).toMatchObject({ submissionId: "b" });
  });

  it("lets an override replace both scores, also on a run that never produced a report", () => {
    const c = countedSubmission([graded("a", 1, 50, 50), graded("failed", 2, null, null, 62.5)], "best");
    expect(c).toMatchObject({ submissionId: "failed", publicScore: 62.5, privateScore: 62.5, source: "override" });
    expect(countedScore(c!, "private")).toBe(62.5);
    // An override down to 0 leaves the student's next best submission counting.
    expect(countedSubmission([graded("a", 1, 80, 80, 0), graded("b", 2, 40, 45)], "best")).toMatchObject({ submissionId: "b" });
  });

  it("counts nothing when nothing is graded, and switches to the private score at the deadline", () => {
    expect(countedSubmission([graded("a", 1, null, null)], "best")).toBeNull();
    const due = new Date("2030-01-01T00:00:00Z");
    expect(countingSplit(due, new Date("2029-12-31T23:59:59Z"))).toBe("public");
    expect(countingSplit(due, due)).toBe("private");
  });
});

describe(`counted rows kept up to date, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let student: Awaited<ReturnType<typeof seedUser>>;

  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db, tinyAssignmentConfig()));
    student = await seedUser(h.db);
  });
  afterAll(async () => h.close());

  const row = async () =>
    (await h.db.select().from(countedSubmissions).where(and(eq(countedSubmissions.assignmentId, assignmentId), eq(countedSubmissions.userId, student.id))))[0];

  it("recounts graded work written before the table existed, and an assignment whose rule changed", async () => {
    const early = await gradedSubmission(h.db, { assignmentId, userId: student.id, publicScore: 80, privateScore: 40, createdAt: new Date("2029-01-01T00:00:00Z") });
    const late = await gradedSubmission(h.db, { assignmentId, userId: student.id, publicScore: 50, privateScore: 60, createdAt: new Date("2029-01-02T00:00:00Z") });
    expect(await row()).toMatchObject({ submissionId: early, rule: "best" });
    // As after migration 0006 on an existing database: reports, no counted rows.
    await h.db.delete(countedSubmissions).where(eq(countedSubmissions.assignmentId, assignmentId));
    expect(await recountStaleAssignments(h.db)).toEqual([assignmentId]);
    expect(await row()).toMatchObject({ submissionId: early, publicScore: 80, privateScore: 40, source: "report" });
    expect(await recountStaleAssignments(h.db)).toEqual([]);
    // assignment.yaml now says the latest submission counts (the content sync stored the new config).
    const config = tinyAssignmentConfig({ gradebook: { weights: { quiz: 0.2, assignment: 0.5, report: 0.3 }, assignmentScore: "latest" } });
    await h.db.update(assignments).set({ config }).where(eq(assignments.id, assignmentId));
    expect(await recountStaleAssignments(h.db)).toEqual([assignmentId]);
    expect(await row()).toMatchObject({ submissionId: late, rule: "latest" });
    const board = await getLeaderboard(h.db, await findAssignmentById(h.db, assignmentId), { id: student.id, role: "student" }, AFTER_DEADLINE);
    expect(board.entries[0]).toMatchObject({ submissionId: late, score: 60 });
  });
});
