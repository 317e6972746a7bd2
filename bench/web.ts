/**
 * `npm run bench:web`: the main pages at class scale (issue 15 §3). Seeds 2,000 students × 25 graded
 * submissions (50,000 reports) into a scratch Postgres database with bulk INSERT … SELECT, starts the
 * production build the way `npm start` does (scripts/serve.mjs; built first when the sources
 * changed), signs in as the demo student and instructor, and drives each page with autocannon at 1
 * and 8 concurrent connections. Prints p50/p95 latency, requests/s, bytes per page, the server's
 * peak RSS and the load average before and after. Needs DATABASE_URL (a Postgres server; the
 * scratch database is dropped at the end). Goals: p95 ≤ 100 ms at 8 users, ≤ 150 KB a page, RSS ≤ 400 MB.
 *
 * Options: BENCH_SECONDS (per run, default 10; 0 measures bytes only), BENCH_STUDENTS (2000),
 * BENCH_PER_STUDENT (25), BENCH_PAGES (a comma-separated list of words; only the pages whose name
 * contains one, e.g. `gradebook`), BENCH_SAVE_HTML (a folder: each page's HTML is written there).
 * BENCH_CPU_PROF (a folder: the server records a V8 CPU profile of each page's runs at 1 and 8
 * connections, bench/cpu-profile-preload.mjs, written there as <page>.cpuprofile; open one in
 * Chrome DevTools or summarise it with `npx tsx bench/cpu-profile-summary.ts <file>`).
 * The server's CPU time per request (from /proc) is printed beside each run: unlike latency it
 * hardly moves when other processes share the CPUs.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import zlib from "node:zlib";
import autocannon from "autocannon";
import { and, eq, sql } from "drizzle-orm";
import { openDb } from "@/db";
import { assignments, courses, users } from "@/db/schema";
import { enroll } from "@/db/queries/courses/enroll";
import { upsertPasswordUser } from "@/domain/auth/create-user";
import { recountAssignment } from "@/domain/grading/recount";
import { getLeaderboard } from "@/domain/grading/leaderboard";
import { getGradebook } from "@/domain/grading/gradebook";
import { countedScores } from "@/db/queries/leaderboard/ranked-counted-submissions";
import { listSubmissions } from "@/db/queries/submissions/list-submissions";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { startServer } from "../tests/e2e/helpers/server";
import { sessionCookie } from "../tests/e2e/helpers/http-session";
import { reportWithScores } from "../tests/web/fixtures";

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = knob("BENCH_SECONDS", 10);
const STUDENTS = knob("BENCH_STUDENTS", 2000);
const PER_STUDENT = knob("BENCH_PER_STUDENT", 25);
const CONNECTIONS = [1, 8];
const WARMUP_SECONDS = 2;
const ASSIGNMENT_NUMBER = 6;
/** The two accounts the load generator signs in as: the viewing student (one of the class) and an instructor. */
const VIEWER = { email: "viewer@bench.example", password: "bench-viewer-password", name: "Viewing Student", role: "student" } as const;
const INSTRUCTOR = { email: "instructor@bench.example", password: "bench-instructor-password", name: "Bench Instructor", role: "instructor" } as const;

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** Peak and current resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
function cpuMsOf(pid: number): number {
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** The serve.mjs process listening on this port (startServer runs it in its own process group). */
function serverPid(port: string): number {
  const out = execFileSync("pgrep", ["-f", `scripts/serve.mjs -p ${port} `]).toString().trim().split("\n");
  return Number(out[0]);
}

async function seed(databaseUrl: string): Promise<{ assignmentId: string; courseSlug: string; seconds: number }> {
  const started = Date.now();
  const h = await openDb({ databaseUrl });
  try {
    const { db } = h;
    // The course the content sync created (the only one in a fresh database).
    const [course] = await db.select({ id: courses.id, slug: courses.slug }).from(courses).limit(1);
    const [assignment] = await db
      .select({ id: assignments.id })
      .from(assignments)
      .where(and(eq(assignments.courseId, course!.id), eq(assignments.number, ASSIGNMENT_NUMBER)));
    const courseId = course!.id;
    const viewerId = await upsertPasswordUser(db, VIEWER);
    await enroll(db, courseId, viewerId, "student");
    await enroll(db, courseId, await upsertPasswordUser(db, INSTRUCTOR), "instructor");
    const assignmentId = assignment!.id;
    // One realistic report document for every row: the pages measured read only the score columns
    // and counted_submissions; the document is what the submission page reads.
    const doc = JSON.stringify(reportWithScores(60, 55));
    await db.transaction(async (tx) => {
      await tx.execute(sql`select setseed(0.42)`);
      await tx.execute(sql`
        insert into users (id, email, name, role)
        select 'bench-' || i, 'student' || i || '@bench.example', 'Student ' || lpad(i::text, 5, '0'), 'student'
        from generate_series(1, ${STUDENTS - 1}) i`);
      await tx.execute(sql`
        insert into enrollments (course_id, user_id, role)
        select ${courseId}, id, 'student' from users where id like 'bench-%'`);
      // Every student (the demo student too, so the viewer has a row) submits PER_STUDENT times over three weeks.
      await tx.execute(sql`
        insert into submissions (id, assignment_id, user_id, kind, spec, status, run, seed, created_at, started_at, finished_at)
        select gen_random_uuid()::text, ${assignmentId}, u.id, 'cnn', jsonb_build_object('kind', 'cnn', 'name', 'try ' || k),
               'succeeded', 1, k, t, t + interval '30 seconds', t + interval '2 minutes'
        from (select id from users where id like 'bench-%' or id = ${viewerId}) u
        cross join generate_series(1, ${PER_STUDENT}) k
        cross join lateral (select now() - interval '21 days' + k * interval '18 hours' + random() * interval '17 hours' as t) at`);
      await tx.execute(sql`
        insert into reports (id, submission_id, run, public_score, private_score, score, param_count, report, created_at)
        select gen_random_uuid()::text, s.id, 1, p, q, (p + q) / 2, 122245, ${doc}::jsonb, s.finished_at
        from submissions s
        cross join lateral (select least(100, greatest(0, 20 + 70 * random())) as p) ps
        cross join lateral (select least(100, greatest(0, p + 20 * (random() - 0.5))) as q) qs
        where s.assignment_id = ${assignmentId}`);
    });
    await db.execute(sql`analyze`);
    const counted = await recountAssignment(db, assignmentId);
    if (counted !== STUDENTS) throw new Error(`expected ${STUDENTS} counted rows, got ${counted}`);
    return { assignmentId, courseSlug: course!.slug, seconds: (Date.now() - started) / 1000 };
  } finally {
    await h.close();
  }
}

/** Median time of each page's data functions called in this process (the database's share of a request). */
async function dataTimes(databaseUrl: string, assignmentId: string): Promise<Record<string, number>> {
  const h = await openDb({ databaseUrl });
  try {
    const { db } = h;
    const assignment = await findAssignmentById(db, assignmentId);
    const [viewer] = await db.select({ id: users.id }).from(users).where(eq(users.email, VIEWER.email));
    const [prof] = await db.select({ id: users.id }).from(users).where(eq(users.email, INSTRUCTOR.email));
    const calls: Record<string, () => Promise<unknown>> = {
      "leaderboard (student)": () => getLeaderboard(db, assignment, { id: viewer!.id, role: "student" }),
      "leaderboard (instructor)": () => Promise.all([getLeaderboard(db, assignment, { id: prof!.id, role: "instructor" }), countedScores(db, assignment.id)]),
      "submissions (instructor)": () => listSubmissions(db, assignment.id, {}),
      "gradebook (instructor)": () => getGradebook(db, assignment, new Date(), { cursor: null }),
    };
    const out: Record<string, number> = {};
    for (const [name, call] of Object.entries(calls)) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await call();
        times.push(performance.now() - t);
      }
      out[name] = percentile(times.sort((a, b) => a - b), 50);
    }
    return out;
  } finally {
    await h.close();
  }
}

interface Run {
  page: string;
  connections: number;
  p50: number;
  p95: number;
  rps: number;
  errors: number;
  /** The server's CPU time per request (user + system), less sensitive to other load than latency. */
  cpuMs: number;
  /** The server's resident memory after the run, and requests served so far (a leak grows with them). */
  rssMb: number;
  served: number;
}

/** Stops the server's profiler (bench/cpu-profile-preload.mjs) and names the profile it writes after the page. */
async function collectProfile(pid: number, dir: string, page: string): Promise<string> {
  const before = new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  process.kill(pid, "SIGUSR2");
  for (let waited = 0; waited < 60_000; waited += 200) {
    const written = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile") && !before.has(f)) : undefined;
    if (written) {
      const named = `${dir}/${page.replace(/\W+/g, "-").replace(/-$/, "")}.cpuprofile`;
      fs.renameSync(`${dir}/${written}`, named);
      return named;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server wrote no CPU profile into ${dir} (was it started with BENCH_CPU_PROF?)`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function drive(url: string, cookie: string, connections: number, seconds: number): Promise<{ times: number[]; rps: number; errors: number; requests: number }> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, result) => {
      if (err) return reject(err);
      resolve({
        times: times.sort((a, b) => a - b),
        rps: result.requests.total / seconds,
        errors: result.errors + result.timeouts + result.non2xx,
        requests: result.requests.total,
      });
    });
    instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("bench:web needs DATABASE_URL (a Postgres server; a scratch database is created and dropped)");
  console.log(`[bench:web] load average before: ${loadavg()} (${os.cpus().length} CPUs)`);
  // Without REDIS_URL the server grades in-process (the embedded default); nothing is graded here.
  const profileDir = process.env.BENCH_CPU_PROF;
  const preload = new URL("./cpu-profile-preload.mjs", import.meta.url).pathname;
  const server = await startServer(profileDir ? { NODE_OPTIONS: `--import=${preload}`, BENCH_CPU_PROF: profileDir } : {});
  try {
    const port = new URL(server.url).port;
    const pid = serverPid(port);
    const idle = memoryOf(pid);
    const seeded = await seed(server.databaseUrl!);
    console.log(`[bench:web] seeded ${STUDENTS} students × ${PER_STUDENT} graded submissions (${STUDENTS * PER_STUDENT} reports) and counted them in ${seeded.seconds.toFixed(1)} s`);
    const data = await dataTimes(server.databaseUrl!, seeded.assignmentId);
    const student = await sessionCookie(server.url, VIEWER);
    const instructor = await sessionCookie(server.url, INSTRUCTOR);
    const base = `${server.url}/courses/${seeded.courseSlug}/assignments/${ASSIGNMENT_NUMBER}`;
    const pages: { name: string; url: string; cookie: string }[] = [
      { name: "leaderboard (student)", url: `${base}/leaderboard`, cookie: student },
      { name: "leaderboard (instructor)", url: `${base}/leaderboard`, cookie: instructor },
      { name: "submissions (instructor)", url: `${base}/submissions`, cookie: instructor },
      { name: "gradebook (instructor)", url: `${base}/gradebook`, cookie: instructor },
    ];
    const only = process.env.BENCH_PAGES?.split(",").map((w) => w.trim()).filter(Boolean);
    const chosen = only?.length ? pages.filter((p) => only.some((w) => p.name.includes(w))) : pages;
    const saveTo = process.env.BENCH_SAVE_HTML;
    if (saveTo) fs.mkdirSync(saveTo, { recursive: true });
    const runs: Run[] = [];
    let served = 0;
    const sizes: { page: string; bytes: number; gzip: number; status: number }[] = [];
    for (const page of chosen) {
      const res = await fetch(page.url, { headers: { cookie: page.cookie, "accept-encoding": "identity" } });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`${page.name}: HTTP ${res.status}`);
      sizes.push({ page: page.name, bytes: body.length, gzip: zlib.gzipSync(body).length, status: res.status });
      if (saveTo) fs.writeFileSync(`${saveTo}/${page.name.replace(/\W+/g, "-").replace(/-$/, "")}.html`, body);
      if (SECONDS <= 0) continue;
      await drive(page.url, page.cookie, 1, WARMUP_SECONDS);
      if (profileDir) process.kill(pid, "SIGUSR2");
      for (const connections of CONNECTIONS) {
        const cpuBefore = cpuMsOf(pid);
        const r = await drive(page.url, page.cookie, connections, SECONDS);
        const cpuMs = (cpuMsOf(pid) - cpuBefore) / Math.max(1, r.requests);
        served += r.requests;
        const { rssMb } = memoryOf(pid);
        runs.push({ page: page.name, connections, p50: percentile(r.times, 50), p95: percentile(r.times, 95), rps: r.rps, errors: r.errors, cpuMs, rssMb, served });
      }
      if (profileDir) console.log(`[bench:web] CPU profile of ${page.name}: ${await collectProfile(pid, profileDir, page.name)}`);
    }
    const mem = memoryOf(pid);
    console.log(`\n[bench:web] ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up; autocannon ${CONNECTIONS.join(" and ")} connections; Postgres ${new URL(server.databaseUrl!).host}`);
    console.log("page                        conns   p50 ms   p95 ms    req/s  errors  server CPU ms/req  RSS after (requests so far)");
    for (const r of runs) {
      console.log(
        `${r.page.padEnd(28)}${String(r.connections).padStart(5)}${r.p50.toFixed(0).padStart(9)}${r.p95.toFixed(0).padStart(9)}${r.rps.toFixed(1).padStart(9)}${String(r.errors).padStart(8)}${r.cpuMs.toFixed(1).padStart(19)}${`${r.rssMb.toFixed(0)} MB (${r.served})`.padStart(28)}`,
      );
    }
    console.log("\npage                        HTML bytes   gzip bytes   data ms (median, in-process queries)");
    for (const s of sizes) {
      console.log(`${s.page.padEnd(28)}${String(s.bytes).padStart(10)}${String(s.gzip).padStart(13)}${(data[s.page] ?? NaN).toFixed(1).padStart(10)}`);
    }
    console.log(`\n[bench:web] server peak RSS ${mem.peakMb.toFixed(0)} MB (now ${mem.rssMb.toFixed(0)} MB; ${idle.rssMb.toFixed(0)} MB when it had started, before any page)`);
    console.log(`[bench:web] load average after: ${loadavg()}`);
    const worstP95 = Math.max(...runs.filter((r) => r.connections === 8).map((r) => r.p95));
    const biggest = Math.max(...sizes.map((s) => s.bytes));
    console.log(
      `[bench:web] goals: p95 at 8 connections ≤ 100 ms: ${worstP95.toFixed(0)} ms ${worstP95 <= 100 ? "met" : "NOT met"}; ` +
        `≤ 150 KB a page: ${(biggest / 1024).toFixed(0)} KB ${biggest <= 150 * 1024 ? "met" : "NOT met"}; ` +
        `RSS ≤ 400 MB: ${mem.peakMb.toFixed(0)} MB ${mem.peakMb <= 400 ? "met" : "NOT met"}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error("[bench:web]", err);
  process.exit(1);
});
