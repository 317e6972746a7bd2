import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ContentFileError } from "@/assignments/content/content-error";
import { loadQuizFile, quizFilePath } from "@/assignments/content/load-quiz";

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
