import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import type { DbHandle } from "@/db";
import { claimNextQueuedSubmission } from "@/db/queries/submissions/claim-submission";
import { createSubmission, type Submission } from "@/db/queries/submissions/create-submission";
import { getQueuePosition } from "@/db/queries/submissions/queue-position";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { createGradeQueue, enqueueGrading, type GradeQueue } from "@/grader/queue/grade-queue";
import { createGradeWorker } from "@/grader/worker/bullmq-worker";
import { startEmbeddedRunner } from "@/grader/worker/embedded-runner";
import type { GradeRunner } from "@/grader/worker/grade-claimed-submission";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { announceSkipped } from "../helpers/services";
import { fakeReport, seedAssignment, seedUser, tinySpec } from "./fixtures/builders";
import { waitFor } from "./fixtures/wait-for";

announceSkipped("practice-run priority against a real BullMQ queue", ["REDIS_URL"]);

const REDIS_URL = process.env.REDIS_URL;
const roomy = { dailySubmissions: 100, maxQueuedPerStudent: 100 };

/**
 * A deadline rush is not slowed by practice: a graded submission made after several practice runs are already
 * waiting is graded before them, by a BullMQ worker (priorities) and by the embedded runner (its claim order) alike,
 * and the queue position a student is shown agrees.
 */
describe(`practice runs wait behind graded submissions (${dbDriverName})`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let userId: string;
  let seed = 1000;

  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db));
    userId = (await seedUser(h.db)).id;
  });
  afterAll(async () => {
    await h.close();
  });

  /** Three practice runs, then one graded submission, a few milliseconds apart; distinct seeds tell them apart. */
  const rush = async (): Promise<{ practice: Submission[]; graded: Submission }> => {
    const practice: Submission[] = [];
    for (let i = 0; i < 3; i++) {
      practice.push(await createSubmission(h.db, { assignmentId, userId, kind: "cnn", spec: tinySpec(), purpose: "practice", seed: seed++ }, roomy));
      await new Promise((r) => setTimeout(r, 5));
    }
    const graded = await createSubmission(h.db, { assignmentId, userId, kind: "cnn", spec: tinySpec(), seed: seed++ }, roomy);
    return { practice, graded };
  };
  /** A grading runner that records the order it is handed jobs in, by seed, and grades nothing. */
  const recorder = () => {
    const order: number[] = [];
    const grade: GradeRunner = async (input) => {
      order.push(input.seed);
      await new Promise((r) => setTimeout(r, 50));
      return fakeReport(40);
    };
    return { order, grade };
  };
  const drain = async () => {
    while (await claimNextQueuedSubmission(h.db, "drain")) {
      // earlier tests' leftovers
    }
  };

  it("shows the graded submission first in the queue and the practice runs behind it", async () => {
    await drain();
    const { practice, graded } = await rush();
    expect(await getQueuePosition(h.db, graded.id)).toBe(1);
    expect(await Promise.all(practice.map((p) => getQueuePosition(h.db, p.id)))).toEqual([2, 3, 4]);
    await drain();
  });

  it("embedded runner: takes the later graded submission before the waiting practice runs", async () => {
    await drain();
    const { practice, graded } = await rush();
    const { order, grade } = recorder();
    const runner = startEmbeddedRunner({ db: h.db, concurrency: 1, livenessMs: 3_000, grade, pollMs: 50, log: () => undefined });
    try {
      await waitFor(async () => (order.length === 4 ? true : null), 30_000);
    } finally {
      await runner.stop(1_000);
    }
    expect(order).toEqual([graded.seed, ...practice.map((p) => p.seed)]);
    expect((await getSubmission(h.db, graded.id))?.status).toBe("succeeded");
  });

  describe.skipIf(!REDIS_URL)("with Redis (needs REDIS_URL)", () => {
    let queue: GradeQueue;
    const prefix = `tgtest-prio-${crypto.randomUUID().slice(0, 8)}`;
    beforeAll(() => {
      queue = createGradeQueue({ redisUrl: REDIS_URL!, prefix });
    });
    afterAll(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });

    it("a BullMQ worker takes the graded job enqueued after three practice jobs first", async () => {
      await drain();
      const { practice, graded } = await rush();
      for (const p of practice) await enqueueGrading(queue, p.id, "practice");
      await enqueueGrading(queue, graded.id, "graded");
      expect(await queue.getJobState(practice[0]!.id)).toBe("prioritized");
      expect(await queue.getJobState(graded.id)).toBe("waiting");
      const { order, grade } = recorder();
      const stop = new AbortController();
      const connection = new Redis(REDIS_URL!, { maxRetriesPerRequest: null });
      const worker = createGradeWorker({
        db: h.db, connection, prefix, workerId: "prio-test", concurrency: 1, livenessMs: 5_000, grade, shutdownSignal: stop.signal, log: () => undefined,
      });
      try {
        await waitFor(async () => (order.length === 4 ? true : null), 30_000);
      } finally {
        await worker.close();
        await connection.quit();
      }
      expect(order).toEqual([graded.seed, ...practice.map((p) => p.seed)]);
    });
  });
});
