import { describe, expect, it, vi } from "vitest";
import { publishSubmissionEvent, subscribeSubmissionEvents } from "@/grader/queue/submission-events";

describe("the in-process submission event bus", () => {
  it("keeps delivering to other listeners, and never throws back to the grader, when one listener fails", () => {
    const id = crypto.randomUUID();
    const seen: string[] = [];
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const offBroken = subscribeSubmissionEvents(id, () => {
      throw new TypeError("Invalid state: Controller is already closed");
    });
    const offGood = subscribeSubmissionEvents(id, (e) => seen.push(e.type));
    expect(() => publishSubmissionEvent({ type: "progress", submissionId: id, progress: { phase: "training", epoch: 1, epochs: 1, batch: 1, batches: 1, loss: 1, acc: 0 } })).not.toThrow();
    expect(() => publishSubmissionEvent({ type: "status", submissionId: id })).not.toThrow();
    expect(seen).toEqual(["progress", "status"]);
    expect(quiet).toHaveBeenCalledWith(expect.stringContaining(id), "Invalid state: Controller is already closed");
    offBroken();
    offGood();
    quiet.mockRestore();
  });

  it("stops calling a listener once it unsubscribes", () => {
    const id = crypto.randomUUID();
    const seen: string[] = [];
    const off = subscribeSubmissionEvents(id, (e) => seen.push(e.type));
    off();
    publishSubmissionEvent({ type: "status", submissionId: id });
    expect(seen).toEqual([]);
  });
});
