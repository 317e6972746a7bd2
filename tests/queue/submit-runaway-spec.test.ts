import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { submissions } from "@/db/schema";
import { submitForGrading } from "@/grader/queue/submit-for-grading";
import { createAnalysisPool, SpecAnalysisLimitError, type AnalysisPool } from "@/grader/spec/isolated-analysis";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinySpec } from "./fixtures/builders";

const RUNAWAY_ENTRY = path.join(import.meta.dirname, "..", "grader", "fixtures", "runaway-analysis-child.ts");

describe(`submitting a spec whose analysis runs away, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let userId: string;
  let pool: AnalysisPool;

  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db));
    ({ id: userId } = await seedUser(h.db));
    pool = createAnalysisPool({ entry: RUNAWAY_ENTRY, size: 1, limits: { timeoutMs: 1_000 } });
  });
  afterAll(async () => {
    await pool.close();
    await h.close();
  });

  const submit = (spec: unknown) =>
    submitForGrading(h.db, { assignmentId, userId, content: { kind: "spec", spec } }, { queue: null, analysisPool: pool });

  it("refuses it with 'could not be analysed in time', records the refusal, and queues the next valid spec", async () => {
    await expect(submit("loop forever")).rejects.toBeInstanceOf(SpecAnalysisLimitError);
    const rejected = await h.db.select().from(submissions).where(and(eq(submissions.userId, userId), eq(submissions.status, "rejected")));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.errorMessage).toMatch(/^The spec could not be analysed in time/);

    const { submission } = await submit(JSON.stringify(tinySpec()));
    expect(submission.status).toBe("queued");
  });
});
