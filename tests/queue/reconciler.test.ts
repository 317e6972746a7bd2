import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { DbHandle } from "@/db";
import { submissions } from "@/db/schema";
import { claimSubmission } from "@/db/queries/submissions/claim-submission";
import { createSubmission } from "@/db/queries/submissions/create-submission";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { GRADE_QUEUE_NAME } from "@/grader/queue/grade-job";
import { createGradeQueue, enqueueGrading, type GradeQueue } from "@/grader/queue/grade-queue";
import { reconcileOnce } from "@/grader/worker/reconciler";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinySpec } from "./fixtures/builders";
import { waitFor } from "./fixtures/wait-for";
import { announceSkipped } from "../helpers/services";

announceSkipped("the reconciler against a real BullMQ queue", ["REDIS_URL"]);

const REDIS_URL = process.env.REDIS_URL;
const roomy = { dailySubmissions: 100, maxQueuedPerStudent: 100 };

describe.skipIf(!REDIS_URL)(`reconciler: Postgres is the source of truth for the queue (${dbDriverName}; needs REDIS_URL)`, () => {
  let h: DbHandle;
  let queue: GradeQueue;
  let assignmentId: string;
  let userId: string;
  const prefix = `tgtest-rec-${crypto.randomUUID().slice(0, 8)}`;
  const reconcile = () => reconcileOnce({ db: h.db, queue, livenessMs: 5_000, maxAttempts: 3 });
  const newSubmission = () => createSubmission(h.db, { assignmentId, userId, kind: "cnn", spec: tinySpec() }, roomy);

  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db));
    userId = (await seedUser(h.db)).id;
    queue = createGradeQueue({ redisUrl: REDIS_URL!, prefix });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await h.close();
  });

  it("enqueues a queued submission that has no job (an enqueue lost after the commit)", async () => {
    const s = await newSubmission();
    expect(await queue.getJobState(s.id)).toBe("unknown");
    expect((await reconcile()).enqueued).toContain(s.id);
    expect(await queue.getJobState(s.id)).toBe("waiting");
  });

  it("leaves a queued submission alone when its job is still waiting", async () => {
    const s = await newSubmission();
    await enqueueGrading(queue, s.id);
    expect((await reconcile()).enqueued).not.toContain(s.id);
  });

  it("replaces a job BullMQ gave up on while the row is still queued", async () => {
    const s = await newSubmission();
    await queue.drain();
    await enqueueGrading(queue, s.id);
    const failing = new Worker(GRADE_QUEUE_NAME, async () => {
      throw new UnrecoverableError("simulated: BullMQ stops retrying");
    }, { connection: new Redis(REDIS_URL!, { maxRetriesPerRequest: null }), prefix });
    failing.on("error", () => undefined); // closing it mid-poll is part of the test
    await waitFor(async () => ((await queue.getJobState(s.id)) === "failed" ? true : null), 20_000);
    await failing.close();
    expect((await reconcile()).enqueued).toContain(s.id);
    expect(await queue.getJobState(s.id)).toBe("waiting");
  });

  it("requeues and enqueues a running submission whose worker stopped heartbeating", async () => {
    const s = await newSubmission();
    await claimSubmission(h.db, s.id, "dead-worker");
    await h.db.update(submissions).set({ heartbeatAt: sql`now() - interval '1 minute'` }).where(eq(submissions.id, s.id));
    const result = await reconcile();
    expect(result.requeued).toContain(s.id);
    expect(result.enqueued).toContain(s.id);
    expect(await getSubmission(h.db, s.id)).toMatchObject({ status: "queued", workerId: null, attempts: 1 });
  });
});
