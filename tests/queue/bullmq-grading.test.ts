import { instructorDatasets } from "@/grader/assignment/schema";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import net from "node:net";
import { eq, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { handleSubmissionEvents } from "@/app/api/submissions/[id]/events/submission-event-stream";
import type { DbHandle } from "@/db";
import { reports } from "@/db/schema";
import { getSubmission } from "@/db/queries/submissions/get-submission";
import { createSubmission, type Submission } from "@/db/queries/submissions/create-submission";
import { SpecValidationError } from "@/grader/errors";
import { createGradeQueue, enqueueGrading, type GradeQueue } from "@/grader/queue/grade-queue";
import { startQueueEventsBridge, stopQueueEventsBridge } from "@/grader/queue/queue-events-bridge";
import { submitForGrading } from "@/grader/queue/submit-for-grading";
import { createTestDb } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig, tinySpec } from "./fixtures/builders";
import { killGrader, startGraderProcess, type GraderProcess } from "./fixtures/grader-process";
import { readSse } from "./fixtures/read-sse";
import { waitFor } from "./fixtures/wait-for";
import { announceSkipped } from "../helpers/services";

announceSkipped("grading through BullMQ with real worker processes", ["DATABASE_URL", "REDIS_URL"]);

const REDIS_URL = process.env.REDIS_URL;
const DATABASE_URL = process.env.DATABASE_URL;
const FINAL = new Set(["succeeded", "failed", "rejected"]);
/**
 * Silence after which a worker counts as dead (BullMQ lock, heartbeat staleness). Short so the crash
 * tests finish quickly, long enough that a busy two-core machine does not make live workers look dead.
 */
const LIVENESS_MS = 3_000;
/** Epochs of a job that is meant to be interrupted: several seconds of training even on a fast host. */
const LONG_JOB_EPOCHS = 60;

/**
 * A queue of its own (a unique BullMQ prefix): the workers of one test never take another test's jobs,
 * and parallel test files or CI runs sharing the Redis never meet.
 */
interface Lane {
  prefix: string;
  queue: GradeQueue;
  workers: GraderProcess[];
}

/**
 * Each test waits on real worker processes training real models (up to 60 s to reach training, 90 s
 * to finish): on a loaded 2-core machine that exceeds the suite's 60 s default.
 */
const TEST_TIMEOUT_MS = 300_000;

describe.skipIf(!REDIS_URL || !DATABASE_URL)(
  "grading through BullMQ with real worker processes and the real grader (needs DATABASE_URL and REDIS_URL)",
  { timeout: TEST_TIMEOUT_MS },
  () => {
    let h: DbHandle & { url?: string };
    let redis: Redis;
    let assignmentId: string;
    const lanes: Lane[] = [];

    const newLane = (): Lane => {
      const prefix = `tgtest-${crypto.randomUUID().slice(0, 8)}`;
      const lane = { prefix, queue: createGradeQueue({ redisUrl: REDIS_URL!, prefix }), workers: [] };
      lanes.push(lane);
      return lane;
    };
    const startWorker = async (lane: Lane, opts: { graceMs?: number } = {}) => {
      const w = startGraderProcess({ databaseUrl: h.url!, redisUrl: REDIS_URL!, prefix: lane.prefix, livenessMs: LIVENESS_MS, ...opts });
      lane.workers.push(w);
      await w.ready;
      return w;
    };
    const submit = async (lane: Lane, spec: unknown = tinySpec()) => {
      const student = await seedUser(h.db);
      const input = { assignmentId, userId: student.id, content: { kind: "spec" as const, spec } };
      return (await submitForGrading(h.db, input, { queue: lane.queue })).submission;
    };
    const final = (id: string, timeoutMs = 90_000) =>
      waitFor(async () => {
        const row = await getSubmission(h.db, id);
        return row && FINAL.has(row.status) ? row : null;
      }, timeoutMs, 200);
    const reportRows = (id: string) => h.db.select().from(reports).where(eq(reports.submissionId, id));
    const deleteKeys = async (prefix: string) => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    };
    /**
     * Workers of one test must be gone before the next starts: all lanes share the database, and a
     * live worker's reconciler would (correctly) adopt another lane's queued rows into its own queue.
     */
    const stopWorkers = async (lane: Lane) => {
      if (process.env.TG_TEST_VERBOSE) for (const w of lane.workers) console.log(w.output());
      await Promise.all(lane.workers.splice(0).map((w) => killGrader(w)));
    };

    beforeAll(async () => {
      h = await createTestDb();
      if (!h.url) throw new Error("createTestDb() must expose the scratch database's url: the workers are separate processes");
      const limits = { dailySubmissions: 50, maxQueuedPerStudent: 5, dailyRejectedSubmissions: 30 };
      const base = tinyAssignmentConfig();
      // Room for the long jobs below, which must still be training when the worker is stopped.
      const budget = { ...base.budget, maxEpochs: LONG_JOB_EPOCHS };
      const datasets = { ...instructorDatasets(base), train: { ...instructorDatasets(base).train, count: 240 } };
      ({ assignmentId } = await seedAssignment(h.db, tinyAssignmentConfig({ limits, budget, datasets })));
      redis = new Redis(REDIS_URL!);
    });
    afterAll(async () => {
      for (const lane of lanes) {
        await stopWorkers(lane);
        await lane.queue.close();
        await deleteKeys(lane.prefix);
      }
      await stopQueueEventsBridge();
      redis?.disconnect();
      await h?.close();
    });

    describe("with one long-lived worker", () => {
      /** One worker for the tests that do not harm it (it starts warm once, not once per test). */
      let shared: Lane;
      beforeAll(async () => {
        shared = newLane();
        await startWorker(shared);
      });
      afterAll(async () => stopWorkers(shared));

      it("grades a submission queued → running → succeeded and stores one report", async () => {
        const s = await submit(shared);
        const seen = new Set<string>();
        const row = await waitFor(async () => {
          const r = await getSubmission(h.db, s.id);
          if (r) seen.add(r.status);
          return r && FINAL.has(r.status) ? r : null;
        }, 90_000, 50);
        expect(seen.has("running")).toBe(true);
        expect(row).toMatchObject({ status: "succeeded", attempts: 1 });
        const rows = await reportRows(s.id);
        expect(rows).toHaveLength(1);
        expect(rows[0].report).toMatchObject({ status: "succeeded", assignment: { slug: "lesson-6" } });
      });

      it("streams a running job's progress to its owner over SSE, relayed from the worker by BullMQ QueueEvents", async () => {
        await startQueueEventsBridge({ redisUrl: REDIS_URL!, prefix: shared.prefix }).waitUntilReady();
        const owner = await seedUser(h.db);
        // The page opens its stream while the submission waits; the enqueue comes after, so no event predates it.
        const submission = await createSubmission(
          h.db,
          { assignmentId, userId: owner.id, kind: "cnn", spec: tinySpec({ epochs: LONG_JOB_EPOCHS }) },
          { dailySubmissions: 50, maxQueuedPerStudent: 5 },
        );
        const req = new Request(`http://localhost/api/submissions/${submission.id}/events`);
        const stream = await handleSubmissionEvents(req, owner, submission.id, h.db, { pollMs: 500 });
        await enqueueGrading(shared.queue, submission.id);
        const events = await readSse(stream);
        const progress = events.filter((e) => e.event === "progress").map((e) => e.data as { phase: string; epochs: number });
        expect(progress.some((p) => p.phase === "training" && p.epochs === LONG_JOB_EPOCHS)).toBe(true);
        expect(events.at(-1)).toMatchObject({ event: "status", data: { status: "succeeded" } });
      });

      it("rejects an invalid spec at submit time with its message; it never reaches the queue", async () => {
        const student = await seedUser(h.db);
        const bad = { ...tinySpec(), layers: [{ type: "conv2d", filters: -4, kernelSize: 3 }] };
        const input = { assignmentId, userId: student.id, content: { kind: "spec" as const, spec: bad } };
        await expect(submitForGrading(h.db, input, { queue: shared.queue })).rejects.toBeInstanceOf(SpecValidationError);
        const result = await h.db.execute(
          sql`select id, status, error_message, attempts from submissions where user_id = ${student.id}`,
        );
        const [row] = (result as unknown as { rows: { id: string; status: string; error_message: string; attempts: number }[] }).rows;
        expect(row).toMatchObject({ status: "rejected", attempts: 0 });
        expect(row.error_message).toMatch(/layers\.0\.filters/);
        expect(await shared.queue.getJobState(row.id)).toBe("unknown");
      });

      it("grades a submission enqueued twice exactly once", async () => {
        const s = await submit(shared);
        await enqueueGrading(shared.queue, s.id);
        await enqueueGrading(shared.queue, s.id);
        const row = await final(s.id);
        // Enqueued once more after it finished: the worker finds it final and leaves it alone.
        await enqueueGrading(shared.queue, s.id);
        await waitFor(async () => ((await shared.queue.getJobState(s.id)) === "unknown" ? true : null), 20_000);
        expect(row).toMatchObject({ status: "succeeded", attempts: 1 });
        expect(await reportRows(s.id)).toHaveLength(1);
      });

      it("survives Postgres dropping its connections while idle and keeps grading", async () => {
        const [worker] = shared.workers;
        await h.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
        );
        await new Promise((r) => setTimeout(r, LIVENESS_MS * 1.5)); // the reconciler meets the dead connections
        expect(worker.child.exitCode).toBeNull();
        const s = await submit(shared);
        expect(await final(s.id)).toMatchObject({ status: "succeeded" });
        expect(worker.output()).not.toMatch(/unhandled|uncaught/i);
      });
    });

    describe("when workers or services fail", () => {
      afterEach(async () => {
        for (const lane of lanes) await stopWorkers(lane);
      });

      it("grades exactly once when the worker is killed (SIGKILL) mid-training and another one starts", async () => {
        const lane = newLane();
        const first = await startWorker(lane);
        const s = await submit(lane, tinySpec({ epochs: LONG_JOB_EPOCHS }));
        await waitFor(async () => {
          const r = await getSubmission(h.db, s.id);
          return (r?.progress as { phase?: string } | null)?.phase === "training" ? r : null;
        }, 60_000, 50);
        first.child.kill("SIGKILL");
        await first.exited;
        expect((await getSubmission(h.db, s.id))?.status).toBe("running");
        await startWorker(lane);
        const row = await final(s.id);
        expect(row.status).toBe("succeeded");
        expect(row.attempts).toBeGreaterThanOrEqual(2);
        expect(await reportRows(s.id)).toHaveLength(1);
      });

      it("re-enqueues every queued submission from Postgres after Redis lost the queue", async () => {
        const lane = newLane();
        const queued: Submission[] = [await submit(lane), await submit(lane)];
        await deleteKeys(lane.prefix); // what FLUSHALL or a restart without persistence does to the queue
        expect(await lane.queue.getJobState(queued[0].id)).toBe("unknown");
        await startWorker(lane);
        for (const s of queued) {
          expect(await final(s.id)).toMatchObject({ status: "succeeded" });
          expect(await reportRows(s.id)).toHaveLength(1);
        }
      });

      it("on SIGTERM during a job exits within its grace period and hands the job back, never leaving it running", async () => {
        const lane = newLane();
        const graceMs = 1_500;
        const w = await startWorker(lane, { graceMs });
        const s = await submit(lane, tinySpec({ epochs: LONG_JOB_EPOCHS }));
        await waitFor(async () => ((await getSubmission(h.db, s.id))?.status === "running" ? true : null), 60_000, 50);
        const sent = Date.now();
        w.child.kill("SIGTERM");
        const { code } = await w.exited;
        expect(code).toBe(0);
        expect(Date.now() - sent).toBeLessThan(graceMs + 5_000);
        expect((await getSubmission(h.db, s.id))?.status).not.toBe("running");
        // Finished within the grace period, or handed back and graded by the next worker.
        await startWorker(lane);
        expect(await final(s.id)).toMatchObject({ status: "succeeded" });
        expect(await reportRows(s.id)).toHaveLength(1);
      });

      it("refuses to start against a Redis whose maxmemory-policy is not noeviction", async () => {
        const port = await freePort();
        const args = ["--port", String(port), "--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru"];
        const server = spawn("redis-server", args, { stdio: "ignore" });
        try {
          await waitFor(async () => {
            const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0 });
            probe.on("error", () => undefined); // refused until the server is up: expected while polling
            try {
              await probe.connect();
              return (await probe.ping()) === "PONG" ? true : null;
            } catch {
              return null;
            } finally {
              probe.disconnect();
            }
          }, 10_000);
          const lane = newLane();
          const w = startGraderProcess({ databaseUrl: h.url!, redisUrl: `redis://127.0.0.1:${port}`, prefix: lane.prefix });
          lane.workers.push(w);
          const { code } = await w.exited;
          expect(code).toBe(2);
          expect(w.output()).toMatch(/maxmemory-policy is "allkeys-lru".*needs "noeviction"/);
        } finally {
          server.kill("SIGKILL");
        }
      });
    });
  },
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}
