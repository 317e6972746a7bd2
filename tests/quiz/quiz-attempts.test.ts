import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDb, dbDriverName } from "@/tests/helpers/test-db";
import type { Db, DbHandle } from "@/db";
import { lessons, quizAnswers, quizAttempts, quizQuestions, quizzes } from "@/db/schema";
import { startAttempt } from "@/domain/quiz/start-attempt";
import { submitAttempt } from "@/domain/quiz/submit-attempt";
import { getAttemptView } from "@/domain/quiz/get-attempt-view";
import { listMyAttempts } from "@/domain/quiz/list-my-attempts";
import { findLessonQuizForUser, findQuizForUser } from "@/db/queries/quiz/find-lesson-quiz";
import { syncLessonContent } from "@/db/queries/content/sync-lesson";
import { NotFoundError } from "@/lib/errors";
import {
  AttemptAlreadySubmittedError,
  AttemptLimitReachedError,
  InvalidAnswersError,
  TimeLimitPassedError,
} from "@/domain/quiz/quiz-errors";
import { asShown, courseWithQuiz, makeUser } from "./helpers/quiz-fixtures";

let handle: DbHandle;
let db: Db;
let courseId: string;
let quizId: string;
let key: Map<string, string[]>;
let texts: Map<string, Map<string, string>>;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  ({ courseId, quizId, key, texts } = await courseWithQuiz(db, "lesson-6-quiz"));
});
afterAll(async () => {
  await handle?.close();
});

const minutes = (start: Date, m: number) => new Date(start.getTime() + m * 60_000);

/** All the right answers for an attempt's questions, under the ids the attempt shows. */
async function perfectAnswers(attemptId: string, userId: string, now?: Date) {
  const view = await getAttemptView(db, { attemptId, userId, now });
  return asShown(view, texts, Object.fromEntries(view.questions.map((q) => [q.id, key.get(q.id)!])));
}

describe(`registering Lesson 6 content (${dbDriverName})`, () => {
  it("registers the lesson, its quiz and the whole question bank", async () => {
    const [lesson] = await db.select().from(lessons).where(eq(lessons.courseId, courseId));
    expect(lesson).toMatchObject({ number: 6, title: "Image Classification and Transfer Learning" });
    const bank = await db.select().from(quizQuestions).where(eq(quizQuestions.quizId, quizId));
    expect(bank.length).toBeGreaterThanOrEqual(24);
  });

  it("changes nothing when run again on unchanged files", async () => {
    const before = await db.select().from(quizzes).where(eq(quizzes.id, quizId));
    await syncLessonContent(db, courseId);
    const after = await db.select().from(quizzes).where(eq(quizzes.id, quizId));
    expect(after).toEqual(before);
  });
});

describe(`taking the Lesson 6 quiz (${dbDriverName})`, () => {
  it("draws 4 + 3 + 3 questions by topic and keeps the draw for the attempt", async () => {
    const student = await makeUser(db, { courseId });
    const { attemptId, created } = await startAttempt(db, { quizId, userId: student });
    expect(created).toBe(true);
    const view = await getAttemptView(db, { attemptId, userId: student });
    expect(view.questions).toHaveLength(10);
    const bank = await db.select().from(quizQuestions).where(eq(quizQuestions.quizId, quizId));
    const topicOf = new Map(bank.map((q) => [q.id, q.topic]));
    const topics = view.questions.map((q) => topicOf.get(q.id));
    expect(topics.filter((t) => t === "classification")).toHaveLength(4);
    expect(topics.filter((t) => t === "transfer-learning")).toHaveLength(3);
    expect(topics.filter((t) => t === "evaluation")).toHaveLength(3);
    // Reloading shows the very same questions and choice order.
    expect(await getAttemptView(db, { attemptId, userId: student })).toEqual(view);
  });

  it("gives two attempts with the same seed the same questions and choice order, and other seeds other draws", async () => {
    const views = [];
    for (const seed of [7, 7, 8]) {
      const student = await makeUser(db, { courseId });
      const { attemptId } = await startAttempt(db, { quizId, userId: student, seed });
      views.push((await getAttemptView(db, { attemptId, userId: student })).questions.map((q) => [q.id, q.choices.map((c) => c.text)]));
    }
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).not.toEqual(views[0]);
  });

  it("returns the attempt in progress instead of starting a second one", async () => {
    const student = await makeUser(db, { courseId });
    const first = await startAttempt(db, { quizId, userId: student });
    const again = await startAttempt(db, { quizId, userId: student });
    expect(again).toEqual({ ...first, created: false });
  });

  it("starts one attempt when two starts race (double click, two tabs)", async () => {
    const student = await makeUser(db, { courseId });
    const [a, b] = await Promise.all([startAttempt(db, { quizId, userId: student }), startAttempt(db, { quizId, userId: student })]);
    expect(a.attemptId).toBe(b.attemptId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await db.select().from(quizAttempts).where(eq(quizAttempts.userId, student))).toHaveLength(1);
  });

  it("starts one attempt per student when many students each start three times at once", async () => {
    // Many interleavings at once, so a gap between looking for an open attempt and counting attempts shows up.
    const students = await Promise.all(Array.from({ length: 12 }, () => makeUser(db, { courseId })));
    const starts = await Promise.all(students.flatMap((userId) => [0, 1, 2].map(() => startAttempt(db, { quizId, userId }).then((s) => ({ userId, ...s })))));
    for (const userId of students) {
      const mine = starts.filter((s) => s.userId === userId);
      expect(new Set(mine.map((s) => s.attemptId)).size, "one attempt id for all three starts").toBe(1);
      expect(mine.filter((s) => s.created)).toHaveLength(1);
      expect(await db.select().from(quizAttempts).where(eq(quizAttempts.userId, userId))).toHaveLength(1);
    }
  });

  it("scores a perfect attempt at full marks and shows the explanations afterwards", async () => {
    const student = await makeUser(db, { courseId });
    const { attemptId } = await startAttempt(db, { quizId, userId: student });
    const result = await submitAttempt(db, { attemptId, userId: student, answers: await perfectAnswers(attemptId, student) });
    expect(result).toMatchObject({ score: 10, maxScore: 10, recorded: true });
    const view = await getAttemptView(db, { attemptId, userId: student });
    expect(view).toMatchObject({ status: "submitted", score: 10, answersReleased: true });
    for (const q of view.questions) {
      expect(q.result?.credit).toBe(1);
      expect(q.result?.explanation).toBeTruthy();
      // The key comes back under the attempt's own ids, in the order the attempt showed them.
      const right = asShown(view, texts, { [q.id]: key.get(q.id)! })[q.id]!;
      expect(q.result?.correct).toEqual(q.choices.map((c) => c.id).filter((id) => right.includes(id)));
      expect(q.result?.selected).toEqual(q.result?.correct);
    }
  });

  it("gives partial credit on multiple-answer questions and nothing for blanks", async () => {
    const student = await makeUser(db, { courseId });
    // Seeds until the draw holds a multiple-answer question with two right choices.
    const { attemptId } = await startAttempt(db, { quizId, userId: student, seed: 3 });
    const view = await getAttemptView(db, { attemptId, userId: student });
    const multi = view.questions.find((q) => q.kind === "multiple" && key.get(q.id)!.length >= 2);
    expect(multi, "seed 3 should draw a multiple-answer question").toBeDefined();
    const rightOnes = key.get(multi!.id)!;
    const answers = asShown(view, texts, { [multi!.id]: [rightOnes[0]!] });
    const result = await submitAttempt(db, { attemptId, userId: student, answers });
    expect(result.score).toBeCloseTo(1 / rightOnes.length, 5);
    const after = await getAttemptView(db, { attemptId, userId: student });
    expect(after.questions.find((q) => q.id === multi!.id)?.result).toMatchObject({ selected: answers[multi!.id], credit: expect.closeTo(1 / rightOnes.length, 5) });
    expect(after.questions.filter((q) => q.id !== multi!.id).every((q) => q.result?.credit === 0)).toBe(true);
  });
});

describe(`a submitted attempt (${dbDriverName})`, () => {
  it("accepts the same submission twice and records it once", async () => {
    const student = await makeUser(db, { courseId });
    const { attemptId } = await startAttempt(db, { quizId, userId: student });
    const answers = await perfectAnswers(attemptId, student);
    const first = await submitAttempt(db, { attemptId, userId: student, answers });
    const second = await submitAttempt(db, { attemptId, userId: student, answers });
    expect(second).toEqual({ ...first, recorded: false });
    expect(await db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attemptId))).toHaveLength(10);
  });

  it("cannot be changed by submitting different answers", async () => {
    const student = await makeUser(db, { courseId });
    const { attemptId } = await startAttempt(db, { quizId, userId: student });
    const answers = await perfectAnswers(attemptId, student);
    await submitAttempt(db, { attemptId, userId: student, answers });
    const [firstQuestion] = Object.keys(answers);
    await expect(
      submitAttempt(db, { attemptId, userId: student, answers: { ...answers, [firstQuestion!]: [] } }),
    ).rejects.toBeInstanceOf(AttemptAlreadySubmittedError);
    const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
    expect(row!.score).toBe(10);
  });

  it("records one result when two submissions race", async () => {
    const student = await makeUser(db, { courseId });
    const { attemptId } = await startAttempt(db, { quizId, userId: student });
    const answers = await perfectAnswers(attemptId, student);
    const results = await Promise.all([
      submitAttempt(db, { attemptId, userId: student, answers }),
      submitAttempt(db, { attemptId, userId: student, answers }),
    ]);
    expect(results.map((r) => r.recorded).sort()).toEqual([false, true]);
    expect(await db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attemptId))).toHaveLength(10);
  });
});

describe(`refusing bad submissions (${dbDriverName})`, () => {
  it("refuses answers to a question that is not in the attempt, and leaves the attempt open", async () => {
    const student = await makeUser(db, { courseId });
    const { attemptId } = await startAttempt(db, { quizId, userId: student });
    const view = await getAttemptView(db, { attemptId, userId: student });
    const notDrawn = [...key.keys()].find((id) => !view.questions.some((q) => q.id === id))!;
    const error = await submitAttempt(db, { attemptId, userId: student, answers: { [notDrawn]: ["a"] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidAnswersError);
    expect((error as InvalidAnswersError).status).toBe(422);
    expect((error as InvalidAnswersError).issues).toEqual([
      { path: `answers.${notDrawn}`, message: "this question is not part of this attempt" },
    ]);
    expect((await getAttemptView(db, { attemptId, userId: student })).status).toBe("open");
  });

  it("hides another student's attempt", async () => {
    const owner = await makeUser(db, { courseId });
    const other = await makeUser(db, { courseId });
    const { attemptId } = await startAttempt(db, { quizId, userId: owner });
    await expect(getAttemptView(db, { attemptId, userId: other })).rejects.toBeInstanceOf(NotFoundError);
    await expect(submitAttempt(db, { attemptId, userId: other, answers: {} })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("does not let a student outside the course start the quiz", async () => {
    const outsider = await makeUser(db);
    await expect(startAttempt(db, { quizId, userId: outsider })).rejects.toBeInstanceOf(NotFoundError);
    await expect(findLessonQuizForUser(db, { userId: outsider, lessonNumber: 6 })).rejects.toThrow(/Join the course/);
  });

  it("lets any instructor find the quiz, as instructors see every course", async () => {
    const instructor = await makeUser(db, { role: "instructor" });
    await expect(findQuizForUser(db, { userId: instructor, role: "instructor", quizId })).resolves.toMatchObject({ id: quizId });
  });
});

describe(`attempt limits and the time limit (${dbDriverName})`, () => {
  it("allows three attempts and refuses a fourth", async () => {
    const student = await makeUser(db, { courseId });
    for (let i = 0; i < 3; i++) {
      const { attemptId, attemptNumber } = await startAttempt(db, { quizId, userId: student });
      expect(attemptNumber).toBe(i + 1);
      await submitAttempt(db, { attemptId, userId: student, answers: {} });
    }
    const error = await startAttempt(db, { quizId, userId: student }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttemptLimitReachedError);
    expect((error as AttemptLimitReachedError).status).toBe(409);
    expect((error as Error).message).toBe("You have used all 3 attempts allowed for this quiz.");
  });

  it("accepts a submission within the grace period after the 20-minute deadline", async () => {
    const student = await makeUser(db, { courseId });
    const start = new Date("2026-03-01T10:00:00Z");
    const { attemptId } = await startAttempt(db, { quizId, userId: student, now: start });
    const answers = await perfectAnswers(attemptId, student, start);
    const late = new Date(minutes(start, 20).getTime() + 10_000);
    await expect(submitAttempt(db, { attemptId, userId: student, answers, now: late })).resolves.toMatchObject({ score: 10 });
  });

  it("refuses a submission after the time limit, closes the attempt at 0 and counts it", async () => {
    const student = await makeUser(db, { courseId });
    const start = new Date("2026-03-01T10:00:00Z");
    const { attemptId } = await startAttempt(db, { quizId, userId: student, now: start });
    const answers = await perfectAnswers(attemptId, student, start);
    const error = await submitAttempt(db, { attemptId, userId: student, answers, now: minutes(start, 21) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeLimitPassedError);
    expect((error as TimeLimitPassedError).status).toBe(409);
    expect((error as Error).message).toContain("2026-03-01T10:20:00.000Z");

    const view = await getAttemptView(db, { attemptId, userId: student, now: minutes(start, 22) });
    expect(view).toMatchObject({ status: "submitted", expired: true, score: 0, maxScore: 10 });
    const next = await startAttempt(db, { quizId, userId: student, now: minutes(start, 22) });
    expect(next).toMatchObject({ attemptNumber: 2, created: true });
  });

  it("closes an abandoned attempt once its time is up, so a new one can start", async () => {
    const student = await makeUser(db, { courseId });
    const start = new Date("2026-03-02T09:00:00Z");
    const first = await startAttempt(db, { quizId, userId: student, now: start });
    const second = await startAttempt(db, { quizId, userId: student, now: minutes(start, 45) });
    expect(second).toMatchObject({ attemptNumber: 2, created: true });
    const mine = await listMyAttempts(db, { quizId, userId: student, now: minutes(start, 45) });
    expect(mine.map((a) => [a.id, a.score])).toEqual([
      [first.attemptId, 0],
      [second.attemptId, null],
    ]);
    const [closed] = await db
      .select()
      .from(quizAttempts)
      .where(and(eq(quizAttempts.id, first.attemptId), eq(quizAttempts.userId, student)));
    expect(closed!.submittedAt).toEqual(minutes(start, 20));
  });
});
