import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ContentFileError } from "@/assignments/content/content-error";
import { loadQuizFile, quizFilePath } from "@/assignments/content/load-quiz";
import { keyPositionIssues } from "@/assignments/content/quiz-key-positions";

/** The tiny bank the quiz statistics tests load (tests/quiz/helpers/quiz-fixtures.ts). */
const FIXTURE_CONTENT_ROOT = path.join(import.meta.dirname, "..", "quiz", "fixtures", "content");

const { quiz } = await loadQuizFile(quizFilePath(6));

describe("the Lesson 6 question bank", () => {
  it("has at least 24 questions across the syllabus's three quiz areas", () => {
    expect(quiz.questions.length).toBeGreaterThanOrEqual(24);
    expect(quiz.topics.map((t) => t.id)).toEqual(["classification", "transfer-learning", "evaluation"]);
    for (const topic of quiz.topics) {
      expect(quiz.questions.filter((q) => q.topic === topic.id).length).toBeGreaterThanOrEqual(8);
    }
  });

  it("mixes single-answer and multiple-answer questions, each with an explanation", () => {
    expect(quiz.questions.filter((q) => q.kind === "multiple").length).toBeGreaterThanOrEqual(5);
    expect(quiz.questions.filter((q) => q.kind === "single").length).toBeGreaterThanOrEqual(15);
    for (const q of quiz.questions) expect(q.explanation.length).toBeGreaterThan(60);
  });

  it("includes questions that make the student compute", () => {
    const ids = quiz.questions.map((q) => q.id);
    expect(ids).toEqual(expect.arrayContaining(["precision-binary", "precision-multiclass", "conv-parameters", "pooling-output-shape"]));
  });

  it("states every quiz setting", () => {
    expect(quiz.settings).toMatchObject({
      questionsPerTopic: { classification: 4, "transfer-learning": 3, evaluation: 3 },
      shuffleChoices: true,
      attemptsAllowed: 3,
      timeLimitMinutes: 20,
      showAnswers: "after-attempt",
    });
  });

  it("has the worked answers right: conv parameters and precision", () => {
    const key = (id: string) => {
      const q = quiz.questions.find((x) => x.id === id)!;
      return q.choices.find((c) => c.id === q.correct[0])!.text;
    };
    expect(key("conv-parameters")).toBe(String((3 * 3 * 32 + 1) * 64).replace(/(\d)(\d{3})$/, "$1,$2"));
    expect(key("precision-binary")).toBe((40 / 60).toFixed(2));
    expect(key("precision-multiclass")).toBe((35 / 55).toFixed(2));
    expect(key("gap-head-parameters")).toBe("5,130");
    expect(key("trainable-head-count")).toBe((512 * 256 + 256 + 256 * 5 + 5).toLocaleString("en-US"));
  });
});

describe("a broken quiz file", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("fails with its path and the field at fault", async () => {
    const raw = parse(await fs.readFile(quizFilePath(6), "utf8"));
    raw.questions[1].correct = ["z"];
    raw.questions[2].kind = "single";
    raw.questions[2].correct = ["a", "b"];
    raw.settings.questionsPerTopic.evaluation = 40;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "tg-quiz-"));
    const file = path.join(dir, "quiz.yaml");
    await fs.writeFile(file, stringify(raw));

    const error = (await loadQuizFile(file).catch((e: unknown) => e)) as ContentFileError;
    expect(error).toBeInstanceOf(ContentFileError);
    expect(error.message).toContain("quiz.yaml is invalid");
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { path: "questions[1].correct[0]", message: expect.stringContaining('"z" is not one of this question') },
        { path: "questions[2].correct", message: expect.stringContaining("exactly one correct choice, found 2") },
        { path: "settings.questionsPerTopic.evaluation", message: expect.stringContaining("draws 40 questions") },
      ]),
    );
  });
});

describe("where the keys sit in a quiz bank", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  interface RawQuestion {
    id: string;
    kind: "single" | "multiple";
    choices: { id: string; text: string; pinned?: boolean }[];
    correct: string[];
  }

  it("passes for the Lesson 6 bank: no position holds most single-answer keys, no multiple-answer key comes first", () => {
    expect(keyPositionIssues(quiz.questions)).toEqual([]);
    const singles = quiz.questions.filter((q) => q.kind === "single");
    const positions = singles.map((q) => q.choices.findIndex((c) => c.id === q.correct[0]));
    for (let p = 0; p < 4; p++) expect(positions.filter((x) => x === p).length).toBeLessThanOrEqual(singles.length / 2);
  });

  it("refuses the Lesson 6 bank as it was before issue 10, with every key first in the file", async () => {
    const raw = parse(await fs.readFile(quizFilePath(6), "utf8")) as { questions: RawQuestion[] };
    for (const q of raw.questions) {
      q.choices.sort((x, y) => Number(q.correct.includes(y.id)) - Number(q.correct.includes(x.id)));
    }
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "tg-quiz-keys-"));
    const file = path.join(dir, "quiz.yaml");
    await fs.writeFile(file, stringify(raw));

    const error = (await loadQuizFile(file).catch((e: unknown) => e)) as ContentFileError;
    expect(error).toBeInstanceOf(ContentFileError);
    expect(error.problems).toEqual([
      { path: "questions", message: expect.stringMatching(/^27 of 27 single-answer keys are the 1st choice \(task-definition, /) },
      { path: "questions", message: expect.stringMatching(/^7 of 7 multiple-answer keys are the first choices in the file/) },
    ]);
  });

  it("refuses one position for more than half of the single-answer keys, and allows exactly half", () => {
    const single = (id: string, keyAt: number): RawQuestion => ({
      id,
      kind: "single",
      choices: ["w", "x", "y", "z"].map((c) => ({ id: c, text: c })),
      correct: [["w", "x", "y", "z"][keyAt]!],
    });
    const half = [single("q1", 2), single("q2", 2), single("q3", 0), single("q4", 1)];
    expect(keyPositionIssues(half)).toEqual([]);
    const most = [...half, single("q5", 2)];
    expect(keyPositionIssues(most)).toEqual([
      { path: ["questions"], message: expect.stringContaining("3 of 5 single-answer keys are the 3rd choice (q1, q2, q5)") },
    ]);
  });

  it("judges tiny banks by what they can show: two or three keys may not all share a place, one key proves nothing", () => {
    const single = (id: string, key: string): RawQuestion => ({
      id,
      kind: "single",
      choices: ["a", "b", "c"].map((c) => ({ id: c, text: c })),
      correct: [key],
    });
    expect(keyPositionIssues([single("only", "a")])).toEqual([]);
    expect(keyPositionIssues([single("s1", "a"), single("s2", "b"), single("s3", "a")])).toEqual([]);
    expect(keyPositionIssues([single("s1", "a"), single("s2", "a")])).toEqual([
      { path: ["questions"], message: expect.stringContaining("they may not all share one position") },
    ]);
  });

  it("refuses multiple-answer keys that are mostly the first choices (a,b / a,b,c)", () => {
    const multiple = (id: string, correct: string[]): RawQuestion => ({
      id,
      kind: "multiple",
      choices: ["a", "b", "c", "d"].map((c) => ({ id: c, text: c })),
      correct,
    });
    expect(keyPositionIssues([multiple("m1", ["a", "b"]), multiple("m2", ["b", "d"])])).toEqual([]);
    expect(keyPositionIssues([multiple("m1", ["a", "b"]), multiple("m2", ["b", "a", "c"]), multiple("m3", ["a", "d"])])).toEqual([
      { path: ["questions"], message: expect.stringContaining("2 of 3 multiple-answer keys are the first choices in the file (m1, m2)") },
    ]);
  });

  it("still loads the tiny fixture bank the statistics tests use", async () => {
    const { quiz: fixture } = await loadQuizFile(path.join(FIXTURE_CONTENT_ROOT, "lesson-9", "quiz.yaml"));
    expect(fixture.questions.map((q) => q.id)).toEqual(["s1", "m1", "s2"]);
  });

  it("accepts a pinned choice and keeps the flag for the draw", async () => {
    const raw = parse(await fs.readFile(quizFilePath(6), "utf8")) as { questions: RawQuestion[] };
    raw.questions[0]!.choices.push({ id: "all", text: "All of the above", pinned: true });
    dir = dir || (await fs.mkdtemp(path.join(os.tmpdir(), "tg-quiz-keys-")));
    const file = path.join(dir, "pinned.yaml");
    await fs.writeFile(file, stringify(raw));
    const { quiz: pinned } = await loadQuizFile(file);
    expect(pinned.questions[0]!.choices.at(-1)).toEqual({ id: "all", text: "All of the above", pinned: true });
  });
});
