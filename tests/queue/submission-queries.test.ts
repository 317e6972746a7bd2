import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { reports, submissions } from "@/db/schema";
import { claimNextQueuedSubmission, claimSubmission } from "@/db/queries/submissions/claim-submission";
import { completeSubmission, writeReport } from "@/db/queries/submissions/complete-submission";
import { createSubmission, recordRejectedSubmission } from "@/db/queries/submissions/create-submission";
import { failSubmission } from "@/db/queries/submissions/fail-submission";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { getQueuePosition } from "@/db/queries/submissions/queue-position";
import { requeueStaleSubmissions, requeueSubmission } from "@/db/queries/submissions/requeue-submission";
import { IdempotencyKeyReusedError, SubmissionLimitError } from "@/db/queries/submissions/submission-limit-error";
import { submissionsLeftToday } from "@/db/queries/submissions/submissions-left-today";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { fakeReport, seedAssignment, seedUser, tinySpec } from "./fixtures/builders";

/** One database for both groups (a fresh PGlite costs seconds); every test seeds its own students. */
let db: DbHandle;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db.close());

const limits = { dailySubmissions: 3, maxQueuedPerStudent: 2 };
const roomy = { dailySubmissions: 100, maxQueuedPerStudent: 100 };

describe(`per-student submission limits on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  beforeAll(async () => {
    h = db;
    ({ assignmentId } = await seedAssignment(h.db));
  });

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
      await recordRejectedSubmission(h.db, { assignmentId, userId: student.id, kind: "cnn", spec: {}, errorMessage: "bad" }, { dailyRejectedSubmissions: 30 }, day);
    }
    await expect(submit(student.id, day)).resolves.toMatchObject({ status: "queued" });
  });

  it("records refused specs up to the day's cap, then refuses with a 429 that keeps the reason, names the reset time and stores nothing", async () => {
    const student = await seedUser(h.db);
    const day = new Date("2030-05-06T09:00:00Z");
    const refuse = (when: Date) =>
      recordRejectedSubmission(
        h.db,
        { assignmentId, userId: student.id, kind: "cnn", spec: { source: "kind: nonsense" }, errorMessage: "Invalid spec: kind: unknown" },
        { dailyRejectedSubmissions: 2 },
        when,
      );
    await refuse(day);
    await refuse(day);
    const third = refuse(day);
    await expect(third).rejects.toMatchObject({ code: "rejected_limit", status: 429 });
    await expect(third).rejects.toThrow(/^Invalid spec: kind: unknown — .*2 refused submissions.*saved again from 2030-05-07 00:00 UTC/);
    const rows = await h.db.select().from(submissions).where(eq(submissions.userId, student.id));
    expect(rows).toHaveLength(2);
    // Refusals use none of the grading quota, and the next UTC day records them again.
    expect(await submissionsLeftToday(h.db, { assignmentId, userId: student.id, dailyLimit: 3 }, day)).toBe(3);
    await expect(refuse(new Date("2030-05-07T00:00:01Z"))).resolves.toMatchObject({ status: "rejected" });
  });

  it("holds the refusal cap when one student's refused specs race each other", async () => {
    const student = await seedUser(h.db);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        recordRejectedSubmission(h.db, { assignmentId, userId: student.id, kind: "cnn", spec: null, errorMessage: "bad" }, { dailyRejectedSubmissions: 3 }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect((await h.db.select().from(submissions).where(eq(submissions.userId, student.id))).length).toBe(3);
  });

  it("makes one submission and one quota use of two identical submits sent at once with the same key", async () => {
    const student = await seedUser(h.db);
    const day = new Date("2030-06-07T12:00:00Z");
    // Two of the three submissions today are used: a second submission would take the last one.
    for (let i = 0; i < 2; i++) {
      const s = await submit(student.id, day);
      await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, s.id));
    }
    const key = crypto.randomUUID();
    const twice = () =>
      createSubmission(h.db, { assignmentId, userId: student.id, kind: "cnn", spec: tinySpec(), idempotencyKey: key }, limits, day);
    const [a, b] = await Promise.all([twice(), twice()]);
    expect(a.id).toBe(b.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const keyed = await h.db.select().from(submissions).where(eq(submissions.idempotencyKey, key));
    expect(keyed).toHaveLength(1);
    expect(await submissionsLeftToday(h.db, { assignmentId, userId: student.id, dailyLimit: 3 }, day)).toBe(0);
    // The same key once the quota is gone still gives the submission back rather than a 429.
    await expect(twice()).resolves.toMatchObject({ id: a.id, replayed: true });
  });

  it("lets two students use the same key independently, and refuses a key reused on another assignment", async () => {
    const [one, two] = [await seedUser(h.db), await seedUser(h.db)];
    const key = crypto.randomUUID();
    const mine = await createSubmission(h.db, { assignmentId, userId: one.id, kind: "cnn", spec: tinySpec(), idempotencyKey: key }, roomy);
    const theirs = await createSubmission(h.db, { assignmentId, userId: two.id, kind: "cnn", spec: tinySpec(), idempotencyKey: key }, roomy);
    expect(theirs.id).not.toBe(mine.id);
    const other = await seedAssignment(h.db);
    await expect(
      createSubmission(h.db, { assignmentId: other.assignmentId, userId: one.id, kind: "cnn", spec: tinySpec(), idempotencyKey: key }, roomy),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
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

describe(`submission status transitions on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let userId: string;
  beforeAll(async () => {
    h = db;
    ({ assignmentId } = await seedAssignment(h.db));
    userId = (await seedUser(h.db)).id;
  });

  const newSubmission = (createdAt = new Date()) =>
    createSubmission(h.db, { assignmentId, userId, kind: "cnn", spec: tinySpec() }, roomy, createdAt);
  const reportCount = async (id: string) =>
    (await h.db.select().from(reports).where(eq(reports.submissionId, id))).length;

  it("gives a queued submission to exactly one of two claiming workers", async () => {
    const s = await newSubmission();
    const [a, b] = await Promise.all([claimSubmission(h.db, s.id, "w-a"), claimSubmission(h.db, s.id, "w-b")]);
    const winners = [a, b].filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: "running", attempts: 1 });
  });

  it("writes one report however often the same run completes", async () => {
    const s = await newSubmission();
    await claimSubmission(h.db, s.id, "w-a");
    expect(await completeSubmission(h.db, s, "w-a", fakeReport(70))).toBe(true);
    expect(await completeSubmission(h.db, s, "w-a", fakeReport(10))).toBe(false);
    expect(await writeReport(h.db, s.id, s.run, fakeReport(20))).toBe(false);
    expect(await reportCount(s.id)).toBe(1);
    const [row] = await h.db.select().from(reports).where(eq(reports.submissionId, s.id));
    expect(row.score).toBe(70);
    expect((await getSubmission(h.db, s.id))?.status).toBe("succeeded");
  });

  it("ignores the outcome of a worker that no longer owns the submission", async () => {
    const s = await newSubmission();
    await claimSubmission(h.db, s.id, "w-old");
    // w-old looked dead: its row went back to the queue and w-new took it.
    await h.db.update(submissions).set({ status: "queued" }).where(eq(submissions.id, s.id));
    await claimSubmission(h.db, s.id, "w-new");
    expect(await completeSubmission(h.db, s, "w-old", fakeReport())).toBe(false);
    expect(await failSubmission(h.db, s.id, "w-old", "boom")).toBe(false);
    expect(await reportCount(s.id)).toBe(0);
    expect(await getSubmission(h.db, s.id)).toMatchObject({ status: "running", workerId: "w-new" });
  });

  it("marks a final failure as not counting towards the quota", async () => {
    const s = await newSubmission();
    await claimSubmission(h.db, s.id, "w-a");
    await failSubmission(h.db, s.id, "w-a", "The loss became NaN");
    expect(await getSubmission(h.db, s.id)).toMatchObject({
      status: "failed",
      errorMessage: "The loss became NaN",
      countsTowardQuota: false,
    });
  });

  it("hands a submission back on shutdown without using an attempt", async () => {
    const s = await newSubmission();
    await claimSubmission(h.db, s.id, "w-a");
    await requeueSubmission(h.db, s.id, "w-a", { reason: "restart", refundAttempt: true });
    expect(await getSubmission(h.db, s.id)).toMatchObject({ status: "queued", attempts: 0, workerId: null });
  });

  it("requeues running submissions whose worker went silent, and fails them after the last attempt", async () => {
    const silent = await newSubmission();
    const exhausted = await newSubmission();
    const alive = await newSubmission();
    for (const s of [silent, exhausted, alive]) await claimSubmission(h.db, s.id, "w-x");
    await h.db
      .update(submissions)
      .set({ heartbeatAt: sql`now() - interval '1 minute'` })
      .where(sql`${submissions.id} in (${silent.id}, ${exhausted.id})`);
    await h.db.update(submissions).set({ attempts: 3 }).where(eq(submissions.id, exhausted.id));

    const result = await requeueStaleSubmissions(h.db, { staleAfterMs: 10_000, maxAttempts: 3 });
    expect(result.requeued).toContain(silent.id);
    expect(result.failed).toContain(exhausted.id);
    expect(result.requeued).not.toContain(alive.id);
    expect((await getSubmission(h.db, silent.id))?.status).toBe("queued");
    expect(await getSubmission(h.db, exhausted.id)).toMatchObject({ status: "failed", countsTowardQuota: false });
    expect((await getSubmission(h.db, alive.id))?.status).toBe("running");
  });

  it("reports queue positions oldest first and hands out the oldest to the embedded runner", async () => {
    // Drain what earlier tests left queued, so positions start at 1.
    while (await claimNextQueuedSubmission(h.db, "drain")) {
      /* claim until empty */
    }
    const t = Date.now();
    const first = await newSubmission(new Date(t - 2_000));
    const second = await newSubmission(new Date(t - 1_000));
    expect(await getQueuePosition(h.db, first.id)).toBe(1);
    expect(await getQueuePosition(h.db, second.id)).toBe(2);
    const claimed = await claimNextQueuedSubmission(h.db, "w-embedded");
    expect(claimed?.id).toBe(first.id);
    expect(await getQueuePosition(h.db, first.id)).toBeNull();
    expect(await getQueuePosition(h.db, second.id)).toBe(1);
  });
});
