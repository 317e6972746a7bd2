import { describe, expect, it } from "vitest";
import { progressBefore, type GradingProgress } from "@/grader/contracts/grading-progress";

const at = (phase: GradingProgress["phase"], epoch: number, batch: number, epochEnd = false): GradingProgress => ({
  phase, epoch, epochs: 3, batch, batches: 43, loss: 1, acc: 0.5, ...(epochEnd ? { epochEnd } : {}),
});

/**
 * The live panel shows the row's stored progress (sent with each status message) only when it is not behind what
 * the live events already showed: the row is written less often, and showing it sent the page back from
 * "batch 9 · time left 30 s" to "batch 3 · estimating…" (seen in a clean-clone CI run).
 */
describe("the order of a run's progress events", () => {
  it("puts phases, then epochs, then batches, then an epoch's closing event in order", () => {
    const sequence = [at("loading", 0, 0), at("training", 1, 1), at("training", 1, 3), at("training", 1, 43), at("training", 1, 43, true), at("training", 2, 1), at("evaluating", 0, 100)];
    for (let i = 0; i < sequence.length; i++) {
      for (let j = 0; j < sequence.length; j++) {
        expect(progressBefore(sequence[i]!, sequence[j]!), `${i} before ${j}`).toBe(i < j);
      }
    }
  });

  it("does not call the same progress earlier than itself", () => {
    expect(progressBefore(at("training", 2, 7), at("training", 2, 7))).toBe(false);
  });
});
