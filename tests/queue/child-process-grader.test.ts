import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { isUserError } from "@/grader/errors";
import type { ChildGradeInput } from "@/grader/worker/child-protocol";
import { CHILD_ENV_ALLOW_LIST, createChildGrader, GraderProcessError, GradingCancelledError } from "@/grader/worker/child-process-grader";
import { tinyAssignmentConfig } from "./fixtures/builders";

/** A child that speaks the real protocol but does not train (see the fixture), so timings are exact. */
const FAKE_CHILD = path.join(import.meta.dirname, "fixtures", "fake-grade-child.ts");

const job = (fake: Record<string, unknown>): ChildGradeInput => ({
  assignment: { config: tinyAssignmentConfig(), dir: "/nonexistent" },
  submission: { kind: "cnn", spec: { fake } },
  seed: 1,
});

describe("grading in warm child processes", () => {
  const grader = createChildGrader({ entry: FAKE_CHILD });
  afterAll(async () => grader.close());

  const pidsOf = async (fake: Record<string, unknown>, timeoutMs = 30_000) => {
    const pids = new Set<number>();
    const outcome = await grader
      .grade(job(fake), { timeoutMs, onProgress: (p) => pids.add(p.batch) })
      .then((report) => ({ report }), (error: unknown) => ({ error }));
    return { pids, ...outcome };
  };

  it("serves consecutive jobs from the same warm process", async () => {
    const first = await pidsOf({ ms: 50, steps: 1 });
    const second = await pidsOf({ ms: 50, steps: 1 });
    expect(first).toHaveProperty("report");
    expect([...second.pids]).toEqual([...first.pids]);
  });

  it("keeps the process after a user error, which is passed on as a user error", async () => {
    const before = await pidsOf({ ms: 20, steps: 1 });
    const failed = await pidsOf({ ms: 20, steps: 1, outcome: "user-error" });
    expect(isUserError((failed as { error: unknown }).error)).toBe(true);
    expect((failed as { error: Error }).error.message).toMatch(/lower the learning rate/);
    expect([...failed.pids]).toEqual([...before.pids]);
  });

  it("reports a crashed process as an infrastructure error and gives the next job a fresh one", async () => {
    const crashed = await pidsOf({ ms: 20, steps: 1, outcome: "crash" });
    expect((crashed as { error: unknown }).error).toBeInstanceOf(GraderProcessError);
    expect((crashed as { error: Error }).error.message).toMatch(/SIGKILL/);
    const next = await pidsOf({ ms: 20, steps: 1 });
    expect(next).toHaveProperty("report");
    expect([...next.pids][0]).not.toBe([...crashed.pids][0]);
  });

  it("kills a job that overruns its hard limit and says so in words a student can act on", async () => {
    const slow = await pidsOf({ ms: 20_000, steps: 20 }, 1_500);
    const error = (slow as { error: Error }).error;
    expect(isUserError(error)).toBe(true);
    expect(error.message).toMatch(/took longer than 2 s/);
  });

  it("cancels a running job at once when asked (worker shutdown)", async () => {
    const abort = new AbortController();
    const started = Date.now();
    const running = grader.grade(job({ ms: 20_000, steps: 20 }), { timeoutMs: 60_000, signal: abort.signal });
    setTimeout(() => abort.abort("shutdown"), 500);
    await expect(running).rejects.toBeInstanceOf(GradingCancelledError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

/** A child that reports its environment and working directory (see the fixture). */
const ENV_CHILD = path.join(import.meta.dirname, "fixtures", "env-reporting-child.ts");

/** What a web server or worker holds and a training child must never see. */
const SERVER_SECRETS = {
  DATABASE_URL: "postgres://tg:db-password@db.internal:5432/tg",
  REDIS_URL: "redis://:redis-password@redis.internal:6379",
  NEXTAUTH_SECRET: "the-session-signing-secret-0123456789",
  GITHUB_SECRET: "github-oauth-client-secret",
  OIDC_CLIENT_SECRET: "oidc-client-secret",
  AWS_SECRET_ACCESS_KEY: "some-unrelated-cloud-secret",
};

describe("the environment a grading child runs in", () => {
  it("holds none of the server's secrets, only the allow-listed variables, and a scratch working directory that goes with the child", async () => {
    for (const [name, value] of Object.entries(SERVER_SECRETS)) vi.stubEnv(name, value);
    const grader = createChildGrader({ entry: ENV_CHILD });
    // The child writes what it sees to a file named in its job (progress events carry training figures only).
    const reportTo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tg-env-child-")), "seen.json");
    let seen: { envNames: string[]; cwd: string; env: Record<string, string> } | undefined;
    try {
      await grader.grade(job({ reportTo }), { timeoutMs: 30_000 });
      seen = JSON.parse(fs.readFileSync(reportTo, "utf8")) as typeof seen;
    } finally {
      await grader.close();
      vi.unstubAllEnvs();
      fs.rmSync(path.dirname(reportTo), { recursive: true, force: true });
    }
    expect(seen).toBeDefined();
    const { envNames, cwd, env } = seen!;
    for (const name of Object.keys(SERVER_SECRETS)) expect(envNames).not.toContain(name);
    for (const value of Object.values(SERVER_SECRETS)) expect(JSON.stringify(env)).not.toContain(value);
    // Node's own IPC variables (fork) aside, nothing but the allow-list and the paths the grader sets.
    const allowed = new Set<string>([...CHILD_ENV_ALLOW_LIST, "NODE_ENV", "HOME", "DATA_DIR", "TG_PROJECT_ROOT", "TSX_TSCONFIG_PATH", "TG_WASM_THREADS"]);
    expect(envNames.filter((n) => !allowed.has(n) && !n.startsWith("NODE_CHANNEL_"))).toEqual([]);
    expect(path.isAbsolute(env.DATA_DIR!)).toBe(true);

    expect(cwd).not.toBe(process.cwd());
    expect(path.relative(process.cwd(), cwd).startsWith("..")).toBe(true);
    expect(env.HOME).toBe(cwd);
    // The file the child wrote there went away with the folder when the child ended.
    expect(fs.existsSync(cwd)).toBe(false);
  });

  it("gives a job that starts alone every thread, and a job that starts beside it one thread", async () => {
    const grader = createChildGrader({ entry: ENV_CHILD, threadsWhenAlone: 2 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-threads-child-"));
    const threadsSeen = (name: string) => (JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as { env: Record<string, string> }).env.TG_WASM_THREADS;
    try {
      await Promise.all([
        grader.grade(job({ reportTo: path.join(dir, "first.json") }), { timeoutMs: 30_000 }),
        grader.grade(job({ reportTo: path.join(dir, "second.json") }), { timeoutMs: 30_000 }),
      ]);
      expect([threadsSeen("first.json"), threadsSeen("second.json")]).toEqual(["2", "1"]);
      // Both are idle now: the next lone job goes back to the two-thread child.
      await grader.grade(job({ reportTo: path.join(dir, "third.json") }), { timeoutMs: 30_000 });
      expect(threadsSeen("third.json")).toBe("2");
    } finally {
      await grader.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is enough for the real grader: a transfer spec loads the registry's base from the repository, trains and evaluates", async () => {
    vi.stubEnv("DATABASE_URL", SERVER_SECRETS.DATABASE_URL);
    // Alone, the job runs on two WebAssembly threads: the threaded build really starts in a grading child.
    const grader = createChildGrader({ threadsWhenAlone: 2 });
    const classes = ["circle", "square", "triangle"];
    const config = tinyAssignmentConfig({
      inputShape: [32, 32, 3],
      budget: { maxParams: 100_000, maxFlopsPerImage: 100_000_000, maxEpochs: 2, maxInputSize: 32, wallClockSeconds: 120, maxBatchSize: 64 },
    });
    try {
      const report = await grader.grade(
        {
          assignment: { config, dir: path.join(process.cwd(), "assignments", "lesson-6") },
          submission: {
            kind: "transfer",
            spec: { kind: "transfer", base: "shapes-base", head: [{ type: "globalAveragePooling2d" }, { type: "dense", units: classes.length, activation: "softmax" }], training: { epochs: 1, batchSize: 16 } },
          },
          seed: 1,
        },
        { timeoutMs: 240_000 },
      );
      expect(report.metrics?.all.count).toBe(30);
      if (report.backend === "wasm") expect(report.backendThreads).toBe(2);
    } finally {
      await grader.close();
      vi.unstubAllEnvs();
    }
  }, 300_000);
});
