import { describe, expect, it } from "vitest";
import { drawAttempt, type DrawableQuestion } from "@/domain/quiz/draw-attempt";

const bank: DrawableQuestion[] = [
  ...["a1", "a2", "a3", "a4", "a5", "a6"].map((id) => ({ id, topic: "alpha", choices: [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }] })),
  ...["b1", "b2", "b3", "b4"].map((id) => ({ id, topic: "beta", choices: [{ id: "x" }, { id: "y" }, { id: "z" }] })),
];
const settings = { questionsPerTopic: { alpha: 3, beta: 2 }, shuffleQuestions: true, shuffleChoices: true };

describe("drawing the questions of an attempt", () => {
  it("draws the configured number of questions from each topic, without repeats", () => {
    const layout = drawAttempt(bank, settings, 42);
    const ids = layout.map((item) => item.questionId);
    expect(ids.filter((id) => id.startsWith("a"))).toHaveLength(3);
    expect(ids.filter((id) => id.startsWith("b"))).toHaveLength(2);
    expect(new Set(ids).size).toBe(5);
  });

  it("gives the same questions in the same order with the same choices for the same seed", () => {
    expect(drawAttempt(bank, settings, 1234)).toEqual(drawAttempt(bank, settings, 1234));
  });

  it("does not depend on the order the bank comes back from the database", () => {
    expect(drawAttempt([...bank].reverse(), settings, 99)).toEqual(drawAttempt(bank, settings, 99));
  });

  it("gives different attempts different draws", () => {
    const draws = new Set(Array.from({ length: 20 }, (_, seed) => JSON.stringify(drawAttempt(bank, settings, seed))));
    expect(draws.size).toBeGreaterThan(15);
  });

  it("shuffles each question's choices as a permutation of its own choices", () => {
    for (const item of drawAttempt(bank, settings, 7)) {
      const own = bank.find((q) => q.id === item.questionId)!.choices.map((c) => c.id);
      expect([...item.choiceOrder].sort()).toEqual(own);
    }
  });

  it("keeps authored choice order and topic grouping when shuffling is off", () => {
    const layout = drawAttempt(bank, { ...settings, shuffleChoices: false, shuffleQuestions: false }, 5);
    const ids = layout.map((item) => item.questionId);
    expect(ids.map((id) => id[0])).toEqual(["a", "a", "a", "b", "b"]);
    expect(ids).toEqual([...ids].sort());
    for (const item of layout) {
      expect(item.choiceOrder).toEqual(bank.find((q) => q.id === item.questionId)!.choices.map((c) => c.id));
    }
  });

  it("keeps pinned choices at their place in the bank while shuffling the others around them", () => {
    const pinnedBank: DrawableQuestion[] = [
      {
        id: "p1",
        topic: "alpha",
        choices: [{ id: "none", pinned: true }, { id: "a" }, { id: "b" }, { id: "c" }, { id: "all", pinned: true }],
      },
    ];
    const orders = Array.from({ length: 40 }, (_, seed) =>
      drawAttempt(pinnedBank, { ...settings, questionsPerTopic: { alpha: 1 } }, seed)[0]!.choiceOrder,
    );
    for (const order of orders) {
      expect(order[0]).toBe("none");
      expect(order[4]).toBe("all");
      expect([...order.slice(1, 4)].sort()).toEqual(["a", "b", "c"]);
    }
    // The unpinned middle is really shuffled: all six orders of a, b, c turn up in 40 draws.
    expect(new Set(orders.map((o) => o.slice(1, 4).join())).size).toBe(6);
  });

  it("refuses to draw more questions than a topic has", () => {
    expect(() => drawAttempt(bank, { ...settings, questionsPerTopic: { beta: 5 } }, 1)).toThrow(/has 4 questions in topic "beta"/);
  });
});
