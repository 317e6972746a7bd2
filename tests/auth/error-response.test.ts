import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorResponse } from "@/app/_lib/http/route";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { ModelArchiveError, SpecOverBudgetError } from "@/grader/errors";

describe("how route handlers answer errors", () => {
  it("turns a grader user error into a 422 with the fields to fix", async () => {
    const issue = { path: "layers.6.units", message: "dense has 1,048,576 parameters; the budget allows 500,000 in total" };
    const res = errorResponse(new SpecOverBudgetError([issue]));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: expect.stringContaining("budget allows 500,000"), issues: [issue] });
    expect(errorResponse(new ModelArchiveError("model.json is missing from the zip")).status).toBe(422);
  });

  it("keeps the status of access errors: 403 for the wrong role, 404 for someone else's things", () => {
    expect(errorResponse(new ForbiddenError()).status).toBe(403);
    expect(errorResponse(new NotFoundError()).status).toBe(404);
  });

  it("answers a failed zod parse with 422 and dotted paths", async () => {
    const parsed = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: "x" } });
    const res = errorResponse(parsed.error);
    expect(res.status).toBe(422);
    expect((await res.json()).issues[0].path).toBe("a.b");
  });

  it("hides the details of an unexpected error behind a 500 with a plain message", async () => {
    const res = errorResponse(new Error("connection refused at 10.0.0.3"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("10.0.0.3");
  });
});
