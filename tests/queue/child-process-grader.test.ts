import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isUserError } from "@/grader/errors";
import type { ChildGradeInput } from "@/grader/worker/child-protocol";
import { createChildGrader, GraderProcessError, GradingCancelledError } from "@/grader/worker/child-process-grader";
import { tinyAssignmentConfig } from "./fixtures/builders";

/** A child that speaks the real protocol but does not train (see the fixture), so timings are exact. */
const FAKE_CHILD = path.join(import.meta.dirname, "fixtures", "fake-grade-child.ts");

const job = (fake: Record<string, unknown>): ChildGradeInput => ({
  assignment: { config: tinyAssignmentConfig(), dir: "/nonexistent" },
  submission: { kind: "cnn", spec: { fake } },
  seed: 1,
});

describe("grading in warm child processes", () => {
  const grader = createChildGrader({ entry: FAKE_CHILD });
  afterAll(async () => grader.close());

  const pidsOf = async (fake: Record<string, unknown>, timeoutMs = 30_000) => {
    const pids = new Set<number>();
    const outcome = await grader
      .grade(job(fake), { timeoutMs, onProgress: (p) => pids.add(Number(p.pid)) })
      .then((report) => ({ report }), (error: unknown) => ({ error }));
    return { pids, ...outcome };
  };

  it("serves consecutive jobs from the same warm process", async () => {
    const first = await pidsOf({ ms: 50, steps: 1 });
    const second = await pidsOf({ ms: 50, steps: 1 });
    expect(first).toHaveProperty("report");
    expect([...second.pids]).toEqual([...first.pids]);
  });

  it("keeps the process after a user error, which is passed on as a user error", async () => {
    const before = await pidsOf({ ms: 20, steps: 1 });
    const failed = await pidsOf({ ms: 20, steps: 1, outcome: "user-error" });
    expect(isUserError((failed as { error: unknown }).error)).toBe(true);
    expect((failed as { error: Error }).error.message).toMatch(/lower the learning rate/);
    expect([...failed.pids]).toEqual([...before.pids]);
  });

  it("reports a crashed process as an infrastructure error and gives the next job a fresh one", async () => {
    const crashed = await pidsOf({ ms: 20, steps: 1, outcome: "crash" });
    expect((crashed as { error: unknown }).error).toBeInstanceOf(GraderProcessError);
    expect((crashed as { error: Error }).error.message).toMatch(/SIGKILL/);
    const next = await pidsOf({ ms: 20, steps: 1 });
    expect(next).toHaveProperty("report");
    expect([...next.pids][0]).not.toBe([...crashed.pids][0]);
  });

  it("kills a job that overruns its hard limit and says so in words a student can act on", async () => {
    const slow = await pidsOf({ ms: 20_000, steps: 20 }, 1_500);
    const error = (slow as { error: Error }).error;
    expect(isUserError(error)).toBe(true);
    expect(error.message).toMatch(/took longer than 2 s/);
  });

  it("cancels a running job at once when asked (worker shutdown)", async () => {
    const abort = new AbortController();
    const started = Date.now();
    const running = grader.grade(job({ ms: 20_000, steps: 20 }), { timeoutMs: 60_000, signal: abort.signal });
    setTimeout(() => abort.abort("shutdown"), 500);
    await expect(running).rejects.toBeInstanceOf(GradingCancelledError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
