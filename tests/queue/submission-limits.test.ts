import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { submissions } from "@/db/schema";
import { createSubmission, recordRejectedSubmission } from "@/db/queries/submissions/create-submission";
import { SubmissionLimitError } from "@/db/queries/submissions/submission-limit-error";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinySpec } from "./fixtures/builders";

const limits = { dailySubmissions: 3, maxQueuedPerStudent: 2 };

describe(`per-student submission limits on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db));
  });
  afterAll(async () => h.close());

  const submit = (userId: string, now?: Date) =>
    createSubmission(h.db, { assignmentId, userId, kind: "cnn", spec: tinySpec() }, limits, now);

  it("refuses a third waiting submission and says how many may wait", async () => {
    const student = await seedUser(h.db);
    await submit(student.id);
    await submit(student.id);
    const third = submit(student.id);
    await expect(third).rejects.toBeInstanceOf(SubmissionLimitError);
    await expect(third).rejects.toThrow(/allows 2 at a time/);
  });

  it("lets the student submit again once a waiting submission has finished", async () => {
    const student = await seedUser(h.db);
    const first = await submit(student.id);
    await submit(student.id);
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, first.id));
    await expect(submit(student.id)).resolves.toMatchObject({ status: "queued" });
  });

  it("stops at the daily quota and names the UTC reset time", async () => {
    const student = await seedUser(h.db);
    const day = new Date("2030-03-04T10:00:00Z");
    for (let i = 0; i < 3; i++) {
      const s = await submit(student.id, day);
      await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, s.id));
    }
    const fourth = submit(student.id, day);
    await expect(fourth).rejects.toMatchObject({ code: "daily_limit", status: 429 });
    await expect(fourth).rejects.toThrow(/resets at 2030-03-05 00:00 UTC/);
    // The next UTC day starts a fresh quota.
    await expect(submit(student.id, new Date("2030-03-05T00:00:01Z"))).resolves.toMatchObject({ status: "queued" });
  });

  it("does not count failed runs or rejected specs against the daily quota", async () => {
    const student = await seedUser(h.db);
    const day = new Date("2030-04-01T08:00:00Z");
    for (let i = 0; i < 3; i++) {
      const s = await submit(student.id, day);
      await h.db
        .update(submissions)
        .set({ status: "failed", countsTowardQuota: false })
        .where(eq(submissions.id, s.id));
      await recordRejectedSubmission(h.db, { assignmentId, userId: student.id, kind: "cnn", spec: {}, errorMessage: "bad" }, day);
    }
    await expect(submit(student.id, day)).resolves.toMatchObject({ status: "queued" });
  });

  it("holds the cap when one student's submits race each other", async () => {
    const student = await seedUser(h.db);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => submit(student.id)));
    const accepted = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(accepted).toHaveLength(2);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SubmissionLimitError);
  });
});
