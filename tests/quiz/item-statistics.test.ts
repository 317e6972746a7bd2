import { describe, expect, it } from "vitest";
import { itemStatistics, type StatsAttempt } from "@/domain/quiz/item-statistics";

const abcd = [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }];
const q1 = { id: "q1", choices: abcd, correct: ["a"] }; // single answer
const q2 = { id: "q2", choices: abcd, correct: ["a", "c"] }; // multiple answer
const q3 = { id: "q3", choices: abcd, correct: ["b"] }; // drawn only twice

/** An attempt worth `fraction` of its maximum of 10, with the given answers. */
function attempt(id: string, fraction: number, answers: StatsAttempt["answers"]): StatsAttempt {
  return { attemptId: id, score: fraction * 10, maxScore: 10, answers };
}

/*
 * Six attempts, ranked by total: A1 0.9, A2 0.8, A3 0.7, A4 0.5, A5 0.3, A6 0.1.
 * q1 is in all six; q2 in A1, A3, A4, A6; q3 in A2 and A5.
 */
const attempts: StatsAttempt[] = [
  attempt("A4", 0.5, [
    { questionId: "q1", selected: ["a"], credit: 1 },
    { questionId: "q2", selected: ["a", "b", "c"], credit: 0.5 },
  ]),
  attempt("A1", 0.9, [
    { questionId: "q1", selected: ["a"], credit: 1 },
    { questionId: "q2", selected: ["a"], credit: 0.5 },
  ]),
  attempt("A6", 0.1, [
    { questionId: "q1", selected: [], credit: 0 },
    { questionId: "q2", selected: ["b", "d"], credit: 0 },
  ]),
  attempt("A2", 0.8, [
    { questionId: "q1", selected: ["a"], credit: 1 },
    { questionId: "q3", selected: ["b"], credit: 1 },
  ]),
  attempt("A5", 0.3, [
    { questionId: "q1", selected: ["c"], credit: 0 },
    { questionId: "q3", selected: ["d"], credit: 0 },
  ]),
  attempt("A3", 0.7, [
    { questionId: "q1", selected: ["b"], credit: 0 },
    { questionId: "q2", selected: ["a", "c"], credit: 1 },
  ]),
];

describe("item statistics on a fixed set of attempts", () => {
  const [s1, s2, s3] = itemStatistics([q1, q2, q3], attempts);

  it("computes facility as the mean credit over the attempts that drew the question", () => {
    // q1: A1, A2, A4 right out of six → 3/6
    expect(s1).toMatchObject({ attempts: 6, facility: 0.5 });
    // q2: (0.5 + 1 + 0.5 + 0) / 4
    expect(s2).toMatchObject({ attempts: 4, facility: 0.5 });
    expect(s3).toMatchObject({ attempts: 2, facility: 0.5 });
  });

  it("computes the discrimination index as top third minus bottom third", () => {
    // q1: thirds of 2; top A1, A2 (1, 1) → 1; bottom A5, A6 (0, 0) → 0
    expect(s1).toMatchObject({ groupSize: 2, discrimination: 1 });
    // q2: thirds of 1; top A1 (0.5); bottom A6 (0)
    expect(s2).toMatchObject({ groupSize: 1, discrimination: 0.5 });
  });

  it("has no discrimination index for a question drawn fewer than three times", () => {
    expect(s3).toMatchObject({ groupSize: 0, discrimination: null });
  });

  it("counts how often each option was chosen, and blank answers", () => {
    expect(s1!.options).toEqual([
      { choiceId: "a", correct: true, count: 3, proportion: 0.5 },
      { choiceId: "b", correct: false, count: 1, proportion: 0.1667 },
      { choiceId: "c", correct: false, count: 1, proportion: 0.1667 },
      { choiceId: "d", correct: false, count: 0, proportion: 0 },
    ]);
    expect(s1!.unanswered).toBe(1);
    expect(s2!.options.map((o) => o.count)).toEqual([3, 2, 2, 1]);
    expect(s2!.unanswered).toBe(0);
  });

  it("shows a question that strong students miss as negatively discriminating", () => {
    const flipped = attempts.map((a) => ({
      ...a,
      answers: a.answers.map((x) => (x.questionId === "q1" ? { ...x, credit: 1 - x.credit } : x)),
    }));
    expect(itemStatistics([q1], flipped)[0]!.discrimination).toBe(-1);
  });

  it("breaks ties in total score by attempt id, so the thirds do not depend on input order", () => {
    const tied = ["t1", "t2", "t3"].map((id, i) =>
      attempt(id, 0.5, [{ questionId: "q1", selected: i === 0 ? ["a"] : ["b"], credit: i === 0 ? 1 : 0 }]),
    );
    // Ranked t1, t2, t3: top third t1 (1), bottom third t3 (0).
    expect(itemStatistics([q1], tied)[0]!.discrimination).toBe(1);
    expect(itemStatistics([q1], [...tied].reverse())[0]!.discrimination).toBe(1);
  });

  it("reports nothing but zeros for a question nobody has drawn", () => {
    expect(itemStatistics([q1], [])[0]).toMatchObject({ attempts: 0, facility: null, discrimination: null });
  });
});
