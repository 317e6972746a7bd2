import { describe, expect, it } from "vitest";
import { scoreAnswer, type ScorableQuestion } from "@/domain/quiz/score-answer";

const choices = (...ids: string[]) => ids.map((id) => ({ id }));

const single: ScorableQuestion = { id: "s", kind: "single", choices: choices("a", "b", "c", "d"), correct: ["c"], points: 2 };
/** Two right (a, c) out of four. */
const twoOfFour: ScorableQuestion = { id: "m", kind: "multiple", choices: choices("a", "b", "c", "d"), correct: ["a", "c"], points: 1 };
/** Three right (a, b, c) out of five. */
const threeOfFive: ScorableQuestion = {
  id: "m5",
  kind: "multiple",
  choices: choices("a", "b", "c", "d", "e"),
  correct: ["a", "b", "c"],
  points: 3,
};

describe("scoring a single-answer question", () => {
  it("gives full points for the correct choice", () => {
    expect(scoreAnswer(single, ["c"])).toEqual({ credit: 1, isCorrect: true, points: 2, maxPoints: 2 });
  });

  it("gives nothing for a wrong choice or no choice", () => {
    expect(scoreAnswer(single, ["a"]).points).toBe(0);
    expect(scoreAnswer(single, []).points).toBe(0);
  });
});

describe("scoring a multiple-answer question with partial credit", () => {
  it("gives full credit only for exactly the right set", () => {
    expect(scoreAnswer(twoOfFour, ["c", "a"])).toMatchObject({ credit: 1, isCorrect: true });
    expect(scoreAnswer(threeOfFive, ["a", "b", "c"])).toMatchObject({ credit: 1, points: 3 });
  });

  it("earns 1/k for each right choice picked", () => {
    expect(scoreAnswer(twoOfFour, ["a"])).toMatchObject({ credit: 0.5, isCorrect: false });
    expect(scoreAnswer(threeOfFive, ["a", "b"])).toMatchObject({ credit: 0.666667, points: 2 });
  });

  it("takes away 1/(n−k) for each wrong choice picked", () => {
    // 2 of 2 right, 1 of 2 wrong: 1 − 1/2
    expect(scoreAnswer(twoOfFour, ["a", "b", "c"]).credit).toBe(0.5);
    // 3 of 3 right, 1 of 2 wrong: 1 − 1/2
    expect(scoreAnswer(threeOfFive, ["a", "b", "c", "e"]).credit).toBe(0.5);
    // 1 of 3 right, 1 of 2 wrong: 1/3 − 1/2 → floored at 0
    expect(scoreAnswer(threeOfFive, ["a", "d"]).credit).toBe(0);
  });

  it("gives nothing for ticking every box, however many are right", () => {
    expect(scoreAnswer(twoOfFour, ["a", "b", "c", "d"]).credit).toBe(0);
    expect(scoreAnswer(threeOfFive, ["a", "b", "c", "d", "e"]).credit).toBe(0);
  });

  it("never goes below zero", () => {
    expect(scoreAnswer(twoOfFour, ["b", "d"]).credit).toBe(0);
  });
});
