import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { reports } from "@/db/schema";
import { createSubmission } from "@/db/queries/submissions/create-submission";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { subscribeSubmissionEvents, type SubmissionEvent } from "@/grader/queue/submission-events";
import { startEmbeddedRunner, type EmbeddedRunner } from "@/grader/worker/embedded-runner";
import { createChildGrader } from "@/grader/worker/child-process-grader";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignmentAndStudent } from "./fixtures/builders";
import { waitFor } from "./fixtures/wait-for";

/** Lifecycle tests use a child that speaks the real protocol but does not train (see the fixture). */
const FAKE_CHILD = path.join(import.meta.dirname, "fixtures", "fake-grade-child.ts");
const fakeChild = createChildGrader({ entry: FAKE_CHILD });

const roomy = { dailySubmissions: 100, maxQueuedPerStudent: 100 };

describe(`embedded runner lifecycle on ${dbDriverName} (child process speaking the grading protocol)`, () => {
  let h: DbHandle;
  let runner: EmbeddedRunner;
  let assignmentId: string;
  let userId: string;
  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId, userId } = await seedAssignmentAndStudent(h.db));
    runner = startEmbeddedRunner({ db: h.db, concurrency: 1, livenessMs: 3_000, grade: fakeChild.grade, pollMs: 100, retryBackoffMs: 100 });
  });
  afterAll(async () => {
    await runner.stop(1_000);
    await fakeChild.close();
    await h.close();
  });

  const submitFake = (fake: Record<string, unknown>) =>
    createSubmission(h.db, { assignmentId, userId, kind: "cnn", spec: { fake } }, roomy);
  const finalStatus = (id: string, timeoutMs = 30_000) =>
    waitFor(async () => {
      const row = await getSubmission(h.db, id);
      return row && ["succeeded", "failed", "rejected"].includes(row.status) ? row : null;
    }, timeoutMs);

  it("takes a submission from queued through running to succeeded, streaming progress and storing the last", async () => {
    const s = await submitFake({ ms: 900, steps: 3 });
    const events: SubmissionEvent[] = [];
    const unsubscribe = subscribeSubmissionEvents(s.id, (e) => events.push(e));
    const sawRunning = waitFor(async () => ((await getSubmission(h.db, s.id))?.status === "running" ? true : null), 10_000);
    await expect(sawRunning).resolves.toBe(true);
    const row = await finalStatus(s.id);
    unsubscribe();
    expect(row).toMatchObject({ status: "succeeded", attempts: 1, errorMessage: null });
    expect(row.progress).toMatchObject({ phase: "training", epoch: 3, epochs: 3 });
    const progress = events.filter((e) => e.type === "progress").map((e) => (e.type === "progress" ? e.progress.epoch : 0));
    expect(progress).toEqual([1, 2, 3]);
    expect(await h.db.select().from(reports).where(eq(reports.submissionId, s.id))).toHaveLength(1);
  });

  it("fails a submission for good on a user error, with the grader's message", async () => {
    const s = await submitFake({ ms: 100, outcome: "user-error" });
    const row = await finalStatus(s.id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, countsTowardQuota: false });
    expect(row.errorMessage).toMatch(/lower the learning rate/);
  });

  it("retries a crashed training process and gives up after three attempts without using the quota", async () => {
    const s = await submitFake({ ms: 100, outcome: "crash" });
    const row = await finalStatus(s.id, 60_000);
    expect(row).toMatchObject({ status: "failed", attempts: 3, countsTowardQuota: false });
    expect(row.errorMessage).toMatch(/failed 3 times because of a problem on the grading servers/);
    expect(row.errorMessage).toMatch(/does not count against your quota/);
    expect(await h.db.select().from(reports).where(eq(reports.submissionId, s.id))).toHaveLength(0);
  });
});
