import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { stringify } from "yaml";
import { dbDriverName } from "@/tests/helpers/test-db";
import { quizAnswers, quizAttempts, quizQuestions } from "@/db/schema";
import { startAttempt } from "@/domain/quiz/start-attempt";
import { submitAttempt } from "@/domain/quiz/submit-attempt";
import { getAttemptView } from "@/domain/quiz/get-attempt-view";
import { drawAttempt } from "@/domain/quiz/draw-attempt";
import { InvalidAnswersError } from "@/domain/quiz/quiz-errors";
import type { AttemptView } from "@/domain/quiz/attempt-view";
import { asShown, FIXTURE_CONTENT_ROOT, makeCourseWithContent, makeUser, openCourseQuizDb, quizIdBySlug, type CourseQuizDb } from "./helpers/quiz-fixtures";

/*
 * Issue 10 §2: the Lesson 6 key was `a` for every single-answer question and the page sent those
 * bank ids, so answering `a` everywhere scored 10/10. These tests take the attempt as the student's
 * browser receives it (the view the attempt route returns as JSON) and try to guess from it.
 */

let t: CourseQuizDb;
let bankChoiceCount: Map<string, number>;
let pinnedRoot = "";

beforeAll(async () => {
  t = await openCourseQuizDb("lesson-6-quiz");
  bankChoiceCount = new Map([...t.texts].map(([id, choices]) => [id, choices.size]));
});
afterAll(async () => {
  await t?.handle.close();
  if (pinnedRoot) await fs.rm(pinnedRoot, { recursive: true, force: true });
});

/** Starts an attempt for a new student (each may make only three) and returns what the browser gets. */
async function freshAttempt(seed?: number): Promise<{ userId: string; view: AttemptView; json: string }> {
  const userId = await makeUser(t.db, { courseId: t.courseId });
  const { attemptId } = await startAttempt(t.db, { quizId: t.quizId, userId, seed });
  const view = await getAttemptView(t.db, { attemptId, userId });
  // The attempt route answers with exactly this (NextResponse.json of the view).
  return { userId, view, json: JSON.stringify(view) };
}

describe(`what a student's browser receives about an attempt (${dbDriverName})`, () => {
  it("names no choice by its bank id, before or after submission", async () => {
    const { userId, view, json } = await freshAttempt();
    for (const q of view.questions) {
      const bankIds = [...t.texts.get(q.id)!.keys()];
      for (const c of q.choices) {
        expect(c.id).toMatch(/^[a-z2-7]{16}$/);
        expect(bankIds).not.toContain(c.id);
      }
    }
    // Bank ids are single letters here; no JSON string in the payload is one.
    expect(json).not.toMatch(/"[a-h]"/);

    const answers = asShown(view, t.texts, Object.fromEntries(view.questions.map((q) => [q.id, t.key.get(q.id)!])));
    await submitAttempt(t.db, { attemptId: view.attemptId, userId, answers });
    const submitted = await getAttemptView(t.db, { attemptId: view.attemptId, userId });
    expect(submitted.score).toBe(10);
    expect(JSON.stringify(submitted)).not.toMatch(/"[a-h]"/);
    for (const q of submitted.questions) {
      const shown = q.choices.map((c) => c.id);
      expect(shown).toEqual(view.questions.find((v) => v.id === q.id)!.choices.map((c) => c.id));
      for (const id of [...q.result!.selected, ...q.result!.correct!]) expect(shown).toContain(id);
    }
  });

  it("gives the same question new ids in every attempt and, usually, a new order", async () => {
    const seen = new Map<string, { tokens: string[]; order: string }[]>();
    for (let seed = 101; seed <= 120; seed++) {
      const { view } = await freshAttempt(seed);
      for (const q of view.questions) {
        const list = seen.get(q.id) ?? [];
        list.push({ tokens: q.choices.map((c) => c.id), order: q.choices.map((c) => c.text).join("\n") });
        seen.set(q.id, list);
      }
    }
    const allTokens = [...seen.values()].flatMap((list) => list.flatMap((s) => s.tokens));
    expect(new Set(allTokens).size).toBe(allTokens.length);
    const drawnOften = [...seen].filter(([, list]) => list.length >= 3);
    expect(drawnOften.length).toBeGreaterThan(10);
    for (const [questionId, list] of drawnOften) {
      expect(new Set(list.map((s) => s.order)).size, `${questionId} shown in one order only`).toBeGreaterThan(1);
    }
  });
});

describe(`guessing the Lesson 6 key (${dbDriverName})`, () => {
  it("refuses the bank id `a` everywhere as choices this attempt never showed (422), instead of scoring it", async () => {
    const { userId, view } = await freshAttempt();
    const allA = Object.fromEntries(view.questions.map((q) => [q.id, ["a"]]));
    const error = await submitAttempt(t.db, { attemptId: view.attemptId, userId, answers: allA }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidAnswersError);
    expect((error as InvalidAnswersError).status).toBe(422);
    expect((error as InvalidAnswersError).issues).toContainEqual({
      path: `answers.${view.questions[0]!.id}`,
      message: "not a choice of this question: a",
    });
    // Even the true key, sent as bank ids, is not an answer to this attempt.
    const bankKey = Object.fromEntries(view.questions.map((q) => [q.id, t.key.get(q.id)!]));
    await expect(submitAttempt(t.db, { attemptId: view.attemptId, userId, answers: bankKey })).rejects.toBeInstanceOf(InvalidAnswersError);
    expect((await getAttemptView(t.db, { attemptId: view.attemptId, userId })).status).toBe("open");
  });

  it("scores the first choice everywhere near chance over 20 attempts, never 10/10", async () => {
    const scores: number[] = [];
    const chance: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const { userId, view } = await freshAttempt(seed);
      const firstEverywhere = Object.fromEntries(view.questions.map((q) => [q.id, [q.choices[0]!.id]]));
      const result = await submitAttempt(t.db, { attemptId: view.attemptId, userId, answers: firstEverywhere });
      scores.push(result.score);
      // One random pick earns 1/n on average, single or multiple (k/n chance of a hit worth 1/k).
      chance.push(view.questions.reduce((sum, q) => sum + q.points / bankChoiceCount.get(q.id)!, 0));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `[quiz] first choice everywhere, 20 attempts: mean ${mean(scores).toFixed(2)} / 10 (chance ${mean(chance).toFixed(2)}), best ${Math.max(...scores)}`,
    );
    expect(Math.max(...scores)).toBeLessThan(10);
    // The mean of 20 attempts has a standard deviation of about 0.3 points around chance.
    expect(Math.abs(mean(scores) - mean(chance))).toBeLessThan(1.2);
  });
});

describe(`attempts drawn before opaque choice ids (${dbDriverName})`, () => {
  it("still show and score under the bank ids they were shown with", async () => {
    const userId = await makeUser(t.db, { courseId: t.courseId });
    const bank = (await t.db.select().from(quizQuestions).where(eq(quizQuestions.quizId, t.quizId))).map((q) => ({
      ...q,
      choices: q.choices as { id: string }[],
    }));
    // The row as the code before issue 10 wrote it: a layout with bank ids and no tokens.
    const layout = drawAttempt(bank, { questionsPerTopic: { classification: 4, "transfer-learning": 3, evaluation: 3 }, shuffleQuestions: true, shuffleChoices: true }, 5);
    const [row] = await t.db
      .insert(quizAttempts)
      .values({ quizId: t.quizId, userId, attemptNumber: 1, seed: 5, layout, maxScore: 10 })
      .returning({ id: quizAttempts.id });
    const open = await getAttemptView(t.db, { attemptId: row!.id, userId });
    expect(open.questions.map((q) => q.choices.map((c) => c.id))).toEqual(layout.map((item) => item.choiceOrder));

    const answers = Object.fromEntries(open.questions.map((q) => [q.id, t.key.get(q.id)!]));
    await expect(submitAttempt(t.db, { attemptId: row!.id, userId, answers })).resolves.toMatchObject({ score: 10, recorded: true });
    const done = await getAttemptView(t.db, { attemptId: row!.id, userId });
    for (const q of done.questions) {
      expect([...q.result!.correct!].sort()).toEqual([...t.key.get(q.id)!].sort());
      expect(q.result!.selected).toEqual(q.result!.correct);
    }
  });
});

describe(`scores and statistics keep the bank's ids (${dbDriverName})`, () => {
  it("stores submitted answers as bank choice ids", async () => {
    const { userId, view } = await freshAttempt();
    const answers = asShown(view, t.texts, Object.fromEntries(view.questions.map((q) => [q.id, t.key.get(q.id)!])));
    await submitAttempt(t.db, { attemptId: view.attemptId, userId, answers });
    const stored = await t.db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, view.attemptId));
    expect(stored).toHaveLength(10);
    for (const a of stored) expect([...(a.selected as string[])].sort()).toEqual([...t.key.get(a.questionId)!].sort());
  });
});

describe(`a pinned choice ("All of the above") (${dbDriverName})`, () => {
  it("keeps its place in every attempt while the other choices are shuffled", async () => {
    pinnedRoot = await fs.mkdtemp(path.join(os.tmpdir(), "tg-pinned-"));
    await fs.cp(path.join(FIXTURE_CONTENT_ROOT, "lesson-9", "lesson"), path.join(pinnedRoot, "lesson-9", "lesson"), { recursive: true });
    await fs.writeFile(
      path.join(pinnedRoot, "lesson-9", "quiz.yaml"),
      stringify({
        slug: "pinned-quiz",
        title: "Pinned quiz",
        lesson: 9,
        topics: [{ id: "basics", title: "Basics" }],
        settings: { questionsPerTopic: { basics: 1 }, shuffleChoices: true, attemptsAllowed: 40, timeLimitMinutes: null, showAnswers: "after-attempt" },
        questions: [
          {
            id: "mammals",
            topic: "basics",
            kind: "single",
            prompt: "Which of these animals are mammals?",
            choices: [
              { id: "a", text: "Whale" },
              { id: "b", text: "Bat" },
              { id: "c", text: "Dolphin" },
              { id: "d", text: "All of the above", pinned: true },
            ],
            correct: ["d"],
            explanation: "Whales, bats and dolphins all feed their young on milk.",
          },
        ],
      }),
    );
    const pinnedCourse = await makeCourseWithContent(t.db, pinnedRoot);
    const pinnedQuiz = await quizIdBySlug(t.db, "pinned-quiz");
    const userId = await makeUser(t.db, { courseId: pinnedCourse });
    const orders = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const { attemptId } = await startAttempt(t.db, { quizId: pinnedQuiz, userId });
      const view = await getAttemptView(t.db, { attemptId, userId });
      const shown = view.questions[0]!.choices.map((c) => c.text);
      expect(shown[3]).toBe("All of the above");
      orders.add(shown.slice(0, 3).join());
      await submitAttempt(t.db, { attemptId, userId, answers: {} });
    }
    expect(orders.size).toBeGreaterThan(1);
  });
});
