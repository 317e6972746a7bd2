import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

// A signed-in student, without a real session: this file is about how errors are answered.
vi.mock("@/app/_lib/auth/session", () => ({
  getCurrentUser: async () => ({ id: "u1", email: "s@example.com", name: "S", role: "student" }),
}));

const { defineAction } = await import("@/app/_lib/auth/action");
const { errorResponse } = await import("@/app/_lib/http/route");
const { ConflictError, NotFoundError } = await import("@/lib/errors");
const { SpecOverBudgetError } = await import("@/grader/errors");

const failingWith = (err: unknown) => defineAction({ role: "any", input: z.object({}) }, async () => Promise.reject(err));

describe("server actions and route handlers answer an error the same way", () => {
  const cases: [string, () => unknown][] = [
    ["a conflict", () => new ConflictError("This attempt was already submitted.")],
    ["someone else's thing", () => new NotFoundError("No such submission.")],
    ["a spec over budget", () => new SpecOverBudgetError([{ path: "layers.2.units", message: "too many parameters" }])],
    ["a failed parse inside the handler", () => z.object({ n: z.number() }).safeParse({ n: "x" }).error],
  ];
  for (const [what, make] of cases) {
    it(`${what}: same status, message and issues`, async () => {
      const fromAction = await failingWith(make())({});
      const fromRoute = errorResponse(make());
      expect(fromAction.ok).toBe(false);
      expect(fromAction).toEqual({ ok: false, status: fromRoute.status, ...(await fromRoute.json()) });
      expect(fromRoute.status).toBeLessThan(500);
    });
  }

  it("an unexpected error is not dressed up as the user's: the action rethrows it", async () => {
    await expect(failingWith(new Error("connection refused"))({})).rejects.toThrow("connection refused");
  });
});
