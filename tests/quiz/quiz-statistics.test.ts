import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dbDriverName } from "@/tests/helpers/test-db";
import type { Db, DbHandle } from "@/db";
import { startAttempt } from "@/domain/quiz/start-attempt";
import { submitAttempt } from "@/domain/quiz/submit-attempt";
import { getAttemptView } from "@/domain/quiz/get-attempt-view";
import { quizStatistics } from "@/domain/quiz/quiz-statistics";
import { bestScores } from "@/db/queries/quiz/best-scores";
import { exportScoresCsv } from "@/db/queries/quiz/export-scores-csv";
import { asShown, courseWithQuiz, FIXTURE_CONTENT_ROOT, makeUser } from "./helpers/quiz-fixtures";

/*
 * The fixture quiz has three 1-point questions, all drawn, in a fixed order:
 *   s1 single (right: a), m1 multiple (right: a, c of a–d), s2 single (right: b of a–c).
 * Six students submit these answers (credit in brackets; bank choice ids, which the students send
 * under their attempts' opaque ids, and which the statistics report):
 *
 *          s1        m1             s2       total
 *   Ada    a  (1)    a,c   (1)      b (1)    3
 *   Ben    a  (1)    a     (0.5)    b (1)    2.5
 *   Cy     a  (1)    a,b,c (0.5)    a (0)    1.5
 *   Dee    c  (0)    a     (0.5)    b (1)    1.5
 *   Eve    b  (0)    a,c   (1)      c (0)    1
 *   Fay    –  (0)    b,d   (0)      a (0)    0
 *
 * Thirds of two: top = Ada, Ben; bottom = Eve, Fay.
 *   s1: facility 3/6 = 0.5;        discrimination (1+1)/2 − (0+0)/2 = 1
 *   m1: facility 3.5/6 = 0.5833;   discrimination (1+0.5)/2 − (1+0)/2 = 0.25
 *   s2: facility 3/6 = 0.5;        discrimination (1+1)/2 − (0+0)/2 = 1
 * Mean score 9.5 / 18 = 0.5278 of the maximum.
 */
const ANSWERS: [string, Record<string, string[]>][] = [
  ["Ada", { s1: ["a"], m1: ["a", "c"], s2: ["b"] }],
  ["Ben", { s1: ["a"], m1: ["a"], s2: ["b"] }],
  ["Cy", { s1: ["a"], m1: ["a", "b", "c"], s2: ["a"] }],
  ["Dee", { s1: ["c"], m1: ["a"], s2: ["b"] }],
  ["Eve", { s1: ["b"], m1: ["a", "c"], s2: ["c"] }],
  ["Fay", { m1: ["b", "d"], s2: ["a"] }],
];

let handle: DbHandle;
let db: Db;
let quizId: string;
let courseId: string;
const userIds = new Map<string, string>();
const START = new Date("2026-05-01T12:00:00Z");
let texts: Map<string, Map<string, string>>;

/** Submits answers given by bank choice id the way the page does: under the attempt's own ids. */
async function submitByBankIds(attemptId: string, userId: string, byBankId: Record<string, string[]>) {
  const view = await getAttemptView(db, { attemptId, userId, now: START });
  return submitAttempt(db, { attemptId, userId, answers: asShown(view, texts, byBankId), now: START });
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  ({ courseId, quizId, texts } = await courseWithQuiz(db, "fixture-quiz", FIXTURE_CONTENT_ROOT));
  for (const [name, answers] of ANSWERS) {
    const userId = await makeUser(db, { courseId, name });
    userIds.set(name, userId);
    const { attemptId } = await startAttempt(db, { quizId, userId, now: START });
    await submitByBankIds(attemptId, userId, answers);
  }
  // Fay tries again and gets everything right: her best score improves, first-attempt statistics do not move.
  const fay = userIds.get("Fay")!;
  const retry = await startAttempt(db, { quizId, userId: fay, now: START });
  await submitByBankIds(retry.attemptId, fay, { s1: ["a"], m1: ["a", "c"], s2: ["b"] });
  // A student who enrolled but never took the quiz still appears in the scores.
  await makeUser(db, { courseId, name: "Gus" });
  // Instructors are not listed among students.
  await makeUser(db, { courseId, role: "instructor", name: "Prof" });
});
afterAll(async () => {
  await handle?.close();
});

describe(`item statistics over first attempts (${dbDriverName})`, () => {
  it("match the hand-computed facility and discrimination index", async () => {
    const stats = await quizStatistics(db, { quizId, firstAttemptsOnly: true });
    expect(stats).toMatchObject({ attemptCount: 6, studentCount: 6, meanFraction: 0.5278 });
    const byId = Object.fromEntries(stats.questions.map((q) => [q.questionId, q]));
    expect(byId.s1).toMatchObject({ attempts: 6, facility: 0.5, discrimination: 1, groupSize: 2, unanswered: 1 });
    expect(byId.m1).toMatchObject({ attempts: 6, facility: 0.5833, discrimination: 0.25, unanswered: 0 });
    expect(byId.s2).toMatchObject({ attempts: 6, facility: 0.5, discrimination: 1, unanswered: 0 });
  });

  it("count the distribution of chosen options", async () => {
    const stats = await quizStatistics(db, { quizId, firstAttemptsOnly: true });
    const counts = Object.fromEntries(stats.questions.map((q) => [q.questionId, q.options.map((o) => [o.choiceId, o.count, o.correct])]));
    expect(counts.s1).toEqual([["a", 3, true], ["b", 1, false], ["c", 1, false], ["d", 0, false]]);
    expect(counts.m1).toEqual([["a", 5, true], ["b", 2, false], ["c", 3, true], ["d", 1, false]]);
    expect(counts.s2).toEqual([["a", 2, false], ["b", 3, true], ["c", 1, false]]);
  });

  it("name options by the bank's choice ids and text, which students never saw", async () => {
    const stats = await quizStatistics(db, { quizId, firstAttemptsOnly: true });
    const m1 = stats.questions.find((q) => q.questionId === "m1")!;
    expect(m1.choices).toEqual([
      { id: "a", text: "A" },
      { id: "b", text: "B" },
      { id: "c", text: "E" },
      { id: "d", text: "D" },
    ]);
    expect(m1.options.map((o) => o.choiceId)).toEqual(["a", "b", "c", "d"]);
  });

  it("include retakes when asked for all attempts", async () => {
    const stats = await quizStatistics(db, { quizId });
    expect(stats.attemptCount).toBe(7);
    expect(stats.questions.find((q) => q.questionId === "s1")).toMatchObject({ attempts: 7, facility: 0.5714 });
  });
});

describe(`students' best scores (${dbDriverName})`, () => {
  it("lists every enrolled student with their best score and number of attempts", async () => {
    const rows = await bestScores(db, quizId);
    expect(rows.map((r) => [r.name, r.attempts, r.bestScore, r.maxScore])).toEqual([
      ["Ada", 1, 3, 3],
      ["Ben", 1, 2.5, 3],
      ["Cy", 1, 1.5, 3],
      ["Dee", 1, 1.5, 3],
      ["Eve", 1, 1, 3],
      ["Fay", 2, 3, 3],
      ["Gus", 0, null, null],
    ]);
    expect(rows[0]!.lastSubmittedAt).toEqual(START);
  });

  it("export as CSV with one row per student", async () => {
    const csv = await exportScoresCsv(db, quizId);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("name,email,attempts,best_score,max_score,best_percent,last_submitted_at");
    expect(lines[2]).toMatch(/^Ben,[^,]+@example\.test,1,2\.5,3,83\.3,2026-05-01T12:00:00\.000Z$/);
    expect(lines[7]).toMatch(/^Gus,[^,]+,0,,,,$/);
    expect(lines).toHaveLength(8);
  });
});

describe(`releasing answers after the due date (${dbDriverName})`, () => {
  it("shows the score but holds back answers and explanations until the quiz is due", async () => {
    const student = await makeUser(db, { courseId, name: "Hal" });
    const { attemptId } = await startAttempt(db, { quizId, userId: student, now: START });
    await submitByBankIds(attemptId, student, { s1: ["a"] });

    const before = await getAttemptView(db, { attemptId, userId: student, now: START });
    expect(before).toMatchObject({ score: 1, answersReleased: false, answersReleaseAt: "2030-01-01T00:00:00.000Z" });
    expect(JSON.stringify(before)).not.toMatch(/"correct"|"explanation"|alphabet in order|B comes right after/);

    const after = await getAttemptView(db, { attemptId, userId: student, now: new Date("2030-01-02T00:00:00Z") });
    expect(after.answersReleased).toBe(true);
    const s1 = after.questions.find((q) => q.id === "s1")!;
    // Shown under the attempt's own id for choice "A", never the bank's "a".
    expect(s1.result).toMatchObject({ correct: asShown(after, texts, { s1: ["a"] }).s1, explanation: expect.stringContaining("A comes first") });
    expect(s1.result!.correct).not.toEqual(["a"]);
  });
});
