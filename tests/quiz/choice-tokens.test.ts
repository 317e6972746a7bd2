import { describe, expect, it } from "vitest";
import {
  randomChoiceToken,
  shownChoiceIds,
  toBankChoiceIds,
  toShownChoiceIds,
  withChoiceTokens,
} from "@/domain/quiz/choice-tokens";

const layout = [
  { questionId: "q1", choiceOrder: ["c", "a", "d", "b"] },
  { questionId: "q2", choiceOrder: ["b", "a"] },
];

describe("the opaque ids an attempt shows for its choices", () => {
  it("are 16 random lowercase characters, never a bank id (at most 8) and never repeated", () => {
    const tokens = Array.from({ length: 5000 }, randomChoiceToken);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{16}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("name every choice of a question differently and change from attempt to attempt", () => {
    const first = withChoiceTokens(layout);
    const second = withChoiceTokens(layout);
    for (const item of first) expect(new Set(item.choiceTokens).size).toBe(item.choiceOrder.length);
    const all = (l: typeof first) => l.flatMap((item) => item.choiceTokens ?? []);
    expect(all(first).filter((t) => all(second).includes(t))).toEqual([]);
    // The draw itself (which choice is where) is left as it was.
    expect(first.map((item) => item.choiceOrder)).toEqual(layout.map((item) => item.choiceOrder));
  });

  it("refuse a token generator that keeps repeating itself instead of looping", () => {
    expect(() => withChoiceTokens(layout, () => "same")).toThrow(/keeps repeating/);
  });

  it("map back to bank ids for scoring, and bank ids forward in attempt order for the result", () => {
    const [item] = withChoiceTokens(layout, (() => {
      let n = 0;
      return () => `token${n++}`;
    })());
    expect(shownChoiceIds(item!)).toEqual(["token0", "token1", "token2", "token3"]);
    expect(toBankChoiceIds(item!, ["token3", "token1", "a", "nope"])).toEqual({ bankIds: ["b", "a"], unknown: ["a", "nope"] });
    expect(toShownChoiceIds(item!, ["a", "b", "gone"])).toEqual(["token1", "token3"]);
  });

  it("fall back to the bank ids on attempts drawn before opaque ids existed", () => {
    expect(shownChoiceIds(layout[0]!)).toEqual(["c", "a", "d", "b"]);
    expect(toBankChoiceIds(layout[0]!, ["a"])).toEqual({ bankIds: ["a"], unknown: [] });
  });
});
