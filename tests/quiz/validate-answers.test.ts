import { describe, expect, it } from "vitest";
import { submitAnswersSchema, validateAnswers } from "@/domain/quiz/validate-answers";
import { InvalidAnswersError } from "@/domain/quiz/quiz-errors";

// Bank ids in attempt order, and the opaque id the attempt showed for each (`t-<bank id>` here, to read easily).
const layout = [
  { questionId: "q-single", choiceOrder: ["b", "a", "c"], choiceTokens: ["t-b", "t-a", "t-c"] },
  { questionId: "q-multi", choiceOrder: ["d", "a", "c", "b"], choiceTokens: ["t-d", "t-a", "t-c", "t-b"] },
];
const kinds = new Map([
  ["q-single", { id: "q-single", kind: "single" as const }],
  ["q-multi", { id: "q-multi", kind: "multiple" as const }],
]);

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAnswersError);
    return (error as InvalidAnswersError).issues;
  }
  throw new Error("expected InvalidAnswersError");
}

describe("checking submitted answers against the attempt", () => {
  it("returns answers in attempt order as bank ids, with unanswered questions as empty selections", () => {
    expect(validateAnswers({ "q-multi": ["t-c", "t-a"] }, layout, kinds)).toEqual([
      { questionId: "q-single", selected: [] },
      { questionId: "q-multi", selected: ["a", "c"] },
    ]);
  });

  it("refuses the bank's own ids: the attempt knows its choices only by the ids it showed", () => {
    expect(issuesOf(() => validateAnswers({ "q-single": ["a"], "q-multi": ["a", "c"] }, layout, kinds))).toEqual([
      { path: "answers.q-single", message: "not a choice of this question: a" },
      { path: "answers.q-multi", message: "not a choice of this question: a, c" },
    ]);
  });

  it("still takes bank ids on an attempt drawn before opaque ids, which showed them", () => {
    const legacy = layout.map(({ questionId, choiceOrder }) => ({ questionId, choiceOrder }));
    expect(validateAnswers({ "q-single": ["a"] }, legacy, kinds)).toEqual([
      { questionId: "q-single", selected: ["a"] },
      { questionId: "q-multi", selected: [] },
    ]);
  });

  it("refuses answers to a question that is not in the attempt", () => {
    expect(issuesOf(() => validateAnswers({ "q-other": ["a"] }, layout, kinds))).toEqual([
      { path: "answers.q-other", message: "this question is not part of this attempt" },
    ]);
  });

  it("refuses choices that do not belong to the question", () => {
    expect(issuesOf(() => validateAnswers({ "q-single": ["z"] }, layout, kinds))).toEqual([
      { path: "answers.q-single", message: "not a choice of this question: z" },
    ]);
  });

  it("refuses two choices on a single-answer question and the same choice twice", () => {
    const issues = issuesOf(() => validateAnswers({ "q-single": ["t-a", "t-b"], "q-multi": ["t-a", "t-a"] }, layout, kinds));
    expect(issues).toContainEqual({ path: "answers.q-single", message: "this question takes a single answer" });
    expect(issues).toContainEqual({ path: "answers.q-multi", message: "a choice is selected more than once" });
  });

  it("rejects malformed payloads before they reach the attempt", () => {
    expect(submitAnswersSchema.safeParse({ answers: { q: "a" } }).success).toBe(false);
    expect(submitAnswersSchema.safeParse({ answers: {}, score: 10 }).success).toBe(false);
    expect(submitAnswersSchema.safeParse([]).success).toBe(false);
    expect(submitAnswersSchema.safeParse({ answers: { q: ["a"] } }).success).toBe(true);
  });
});
