/**
 * `npm run bench:queue`: a deadline rush through the real grading service.
 * 50 students submit 200 times within a few seconds; 2 grader worker processes (`grader/worker/main.ts`,
 * one job at a time each) grade everything with the real grader. Prints throughput and queue latency
 * (p50/p95) and checks that every submission reached a final state, that per-student limits held and that
 * no run has two reports. Needs DATABASE_URL and REDIS_URL; works in a throwaway database and its own
 * queue prefix, both removed at the end.
 *
 * The spec graded is deliberately tiny, so the benchmark measures the queue, not training:
 * 16×16×3 shapes of 3 classes, 60 training and 30 held-out images; conv2d 4@3×3 relu → max-pool 2 →
 * flatten → dense 3 softmax; Adam, lr 0.01, 1 epoch, batch 16.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { openDb } from "@/db";
import { assignments, courses, users } from "@/db/schema";
import { createScratchDatabase } from "../tests/helpers/scratch-postgres";
import { tinyAssignmentConfig, tinySpec } from "../tests/queue/fixtures/builders";
import { createGradeQueue } from "@/grader/queue/grade-queue";
import { submitForGrading } from "@/grader/queue/submit-for-grading";
import { SubmissionLimitError } from "@/db/queries/submissions/submission-limit-error";

const STUDENTS = 50;
const SUBMISSIONS = 200;
const WORKERS = 2;
/** Submissions arrive at random moments within this window. */
const ARRIVAL_WINDOW_MS = 4_000;
const LIMITS = { dailySubmissions: 4, maxQueuedPerStudent: 3, dailyRejectedSubmissions: 30 };
const TIMEOUT_MS = 15 * 60_000;

// The same tiny assignment and spec the queue's acceptance tests grade for real.
const config = tinyAssignmentConfig({ title: "Queue benchmark", limits: LIMITS });
const spec = tinySpec();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function startWorker(databaseUrl: string, redisUrl: string, prefix: string, n: number): { proc: ChildProcess; ready: Promise<void> } {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "grader", "worker", "main.ts")], {
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, GRADER_QUEUE_PREFIX: prefix, GRADER_CONCURRENCY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/ ready:/.test(out)) resolve();
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (chunk: Buffer) => {
      onData(chunk);
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[worker ${n}] ${chunk}`);
    });
    proc.on("exit", (code) => reject(new Error(`worker ${n} exited (${code}) before ready:\n${out}`)));
  });
  return { proc, ready };
}

async function main(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!baseUrl || !redisUrl) {
    console.error("bench:queue needs DATABASE_URL (Postgres) and REDIS_URL: grader workers are separate processes sharing them.");
    process.exit(2);
  }
  const prefix = `tgbench-${crypto.randomUUID().slice(0, 8)}`;
  const scratch = await createScratchDatabase(baseUrl, "tg_bench");
  const databaseUrl = scratch.url;
  const handle = await openDb({ databaseUrl });
  const { db } = handle;
  const queue = createGradeQueue({ redisUrl, prefix });
  const workers: ChildProcess[] = [];

  try {
    const [course] = await db.insert(courses).values({ slug: "bench", title: "Bench", joinCode: "bench" }).returning();
    const [assignment] = await db
      .insert(assignments)
      .values({ courseId: course.id, slug: config.slug, number: 6, title: config.title, config, contentHash: "bench" })
      .returning();
    const students = await db
      .insert(users)
      .values(Array.from({ length: STUDENTS }, (_, i) => ({ email: `student${i}@bench.dev`, name: `Student ${i}` })))
      .returning({ id: users.id });

    console.log(`starting ${WORKERS} grader workers…`);
    const started = Array.from({ length: WORKERS }, (_, i) => startWorker(databaseUrl, redisUrl, prefix, i + 1));
    workers.push(...started.map((w) => w.proc));
    await Promise.all(started.map((w) => w.ready));

    console.log(`${SUBMISSIONS} submissions from ${STUDENTS} students arriving within ${ARRIVAL_WINDOW_MS / 1000} s…`);
    const refused = { queued_cap: 0, daily_limit: 0, rejected_limit: 0 };
    const accepted: string[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: SUBMISSIONS }, async (_, i) => {
        await new Promise((r) => setTimeout(r, Math.random() * ARRIVAL_WINDOW_MS));
        try {
          const { submission } = await submitForGrading(
            db,
            { assignmentId: assignment.id, userId: students[i % STUDENTS].id, content: { kind: "spec", spec } },
            { queue },
          );
          accepted.push(submission.id);
        } catch (e) {
          if (e instanceof SubmissionLimitError) refused[e.code]++;
          else throw e;
        }
      }),
    );
    const submittedMs = Date.now() - t0;
    console.log(`accepted ${accepted.length}, refused by the queued cap ${refused.queued_cap}, by the daily limit ${refused.daily_limit} (in ${submittedMs} ms)`);

    // Wait for every accepted submission to be final.
    const deadline = Date.now() + TIMEOUT_MS;
    let pending = Infinity;
    while (pending > 0) {
      if (Date.now() > deadline) throw new Error(`${pending} submissions still not final after ${TIMEOUT_MS / 60_000} min`);
      await new Promise((r) => setTimeout(r, 1_000));
      const res = await db.execute(sql`select count(*)::int as n from submissions where status in ('queued', 'running')`);
      pending = (res as unknown as { rows: { n: number }[] }).rows[0].n;
      process.stdout.write(`\r  waiting: ${pending} not final   `);
    }
    process.stdout.write("\n");

    const rows = (
      (await db.execute(sql`
        select s.id, s.user_id, s.status, s.attempts,
               extract(epoch from s.created_at) * 1000 as created,
               extract(epoch from s.started_at) * 1000 as started,
               extract(epoch from s.finished_at) * 1000 as finished,
               (select count(*)::int from reports r where r.submission_id = s.id) as reports
        from submissions s`)) as unknown as {
        rows: { id: string; user_id: string; status: string; attempts: number; created: number; started: number; finished: number; reports: number }[];
      }
    ).rows.map((r) => ({ ...r, created: Number(r.created), started: Number(r.started), finished: Number(r.finished) }));

    const byStatus = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    const succeeded = rows.filter((r) => r.status === "succeeded");
    const duplicates = rows.filter((r) => r.reports > 1).length;
    const missing = succeeded.filter((r) => r.reports !== 1).length;
    // Limits: no student above the daily quota, and at no insert more than the cap already pending.
    const perStudent = new Map<string, typeof rows>();
    for (const r of rows) perStudent.set(r.user_id, [...(perStudent.get(r.user_id) ?? []), r]);
    let overDaily = 0;
    let overCap = 0;
    for (const list of perStudent.values()) {
      if (list.length > LIMITS.dailySubmissions) overDaily++;
      for (const r of list) {
        const pendingAtInsert = list.filter((o) => o.id !== r.id && o.created <= r.created && (!o.finished || o.finished > r.created)).length;
        if (pendingAtInsert >= LIMITS.maxQueuedPerStudent) overCap++;
      }
    }

    const queueLatency = rows.map((r) => r.started - r.created).sort((a, b) => a - b);
    const totalLatency = rows.map((r) => r.finished - r.created).sort((a, b) => a - b);
    const first = Math.min(...rows.map((r) => r.created));
    const last = Math.max(...rows.map((r) => r.finished));
    const seconds = (last - first) / 1000;

    console.log("\n== bench:queue");
    console.log(`spec: ${JSON.stringify(spec)}`);
    console.log(`data: 16x16x3 shapes, 3 classes, 60 train / 30 held-out; ${WORKERS} workers x 1 job, real grader`);
    console.log(`final states: ${JSON.stringify(byStatus)} (of ${rows.length} accepted)`);
    console.log(`throughput: ${(rows.length / seconds).toFixed(2)} submissions/s (${rows.length} graded in ${seconds.toFixed(1)} s, first submit to last result)`);
    console.log(`queue latency (submit -> worker starts): p50 ${(percentile(queueLatency, 50) / 1000).toFixed(2)} s, p95 ${(percentile(queueLatency, 95) / 1000).toFixed(2)} s`);
    console.log(`end-to-end (submit -> report): p50 ${(percentile(totalLatency, 50) / 1000).toFixed(2)} s, p95 ${(percentile(totalLatency, 95) / 1000).toFixed(2)} s`);
    console.log(`attempts > 1: ${rows.filter((r) => r.attempts > 1).length}`);
    console.log(`limits: ${overDaily} students over the daily limit of ${LIMITS.dailySubmissions}, ${overCap} inserts above the queued cap of ${LIMITS.maxQueuedPerStudent}`);
    console.log(`reports: ${duplicates} runs with duplicate reports, ${missing} succeeded submissions without exactly one report`);
    const ok = rows.every((r) => ["succeeded", "failed"].includes(r.status)) && overDaily === 0 && overCap === 0 && duplicates === 0 && missing === 0;
    console.log(ok ? "RESULT: ok" : "RESULT: FAILED");
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on("exit", r)))));
    await queue.close();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await handle.close();
    await scratch.drop();
  }
}

main().catch((e) => {
  console.error("bench:queue failed:", e);
  process.exit(1);
});
