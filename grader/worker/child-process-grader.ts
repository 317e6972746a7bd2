import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { env, pickEnv } from "@/env";
import type { GradingProgress } from "@/grader/contracts/grading-progress";
import { GraderUserError } from "@/grader/errors";
import { wasmThreadsWhenAlone } from "./default-concurrency";
import { gradingReportSchema, type GradingReport } from "@/grader/report/schema";
import { compiledChildEntry } from "./compile-child";
import { childMessageSchema, RemoteGraderUserError, type ChildGradeInput, type ChildMessage } from "./child-protocol";

/** The training process died or misbehaved: infrastructure, retried by the queue. */
export class GraderProcessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraderProcessError";
  }
}

/** The job was stopped from outside (worker shutdown, ownership lost); not the student's fault. */
export class GradingCancelledError extends Error {
  constructor(reason: string) {
    super(`Grading was cancelled: ${reason}`);
    this.name = "GradingCancelledError";
  }
}

/** The grader overran its wall-clock budget by far (it normally stops itself at the limit). */
export class GradingTimeoutError extends GraderUserError {
  constructor(seconds: number) {
    super(
      "wall_clock_exceeded",
      `Grading took longer than ${Math.round(seconds)} s and was stopped. Use fewer epochs or a smaller model.`,
    );
  }
}

/** Heap limit of a training process, so a runaway model ends its own job instead of the host. */
const CHILD_MAX_OLD_SPACE_MB = 3_072;
/** A warm child is replaced after this many jobs, bounding whatever a long-lived process accumulates. */
const DEFAULT_MAX_JOBS_PER_CHILD = 50;
/** An idle warm child is let go after this long (it holds a few hundred MB). */
const DEFAULT_IDLE_MS = 10 * 60_000;

/** The repository: where the child's sources, its npm packages and the registry's models are. */
const PROJECT_ROOT = process.cwd();

/** The default child: the real grader (grader/worker/grade-child.ts). */
export const GRADE_CHILD_ENTRY = path.join(PROJECT_ROOT, "grader", "worker", "grade-child.ts");

/**
 * What a training child inherits from this process's environment: what Node and the compute
 * backends need (locale, time zone, temp dir, CUDA for the GPU backend) and the
 * grader's own backend switches; NODE_ENV is passed as parsed. Nothing else — no DATABASE_URL, REDIS_URL, NEXTAUTH_SECRET or
 * OAuth secret: a child only trains on what the worker hands it, and whatever a submission might
 * make it do, it has no credentials to do it with.
 */
export const CHILD_ENV_ALLOW_LIST = [
  "PATH",
  "LANG",
  "LC_ALL",
  "TZ",
  "TMPDIR",
  "TG_BACKEND",
  "TG_WASM_FAST_KERNELS",
  "CUDA_VISIBLE_DEVICES",
  "LD_LIBRARY_PATH",
] as const;

/**
 * The whole environment of a child working in `scratch`: the allow-list plus absolute paths it can
 * no longer take from its working directory (DATA_DIR's dataset cache, the repository for the
 * registry's models). HOME is the scratch folder, so
 * nothing a library caches "at home" lands outside it.
 */
function childEnvironment(scratch: string, threads: number): NodeJS.ProcessEnv {
  return {
    ...pickEnv(CHILD_ENV_ALLOW_LIST),
    TG_WASM_THREADS: String(threads),
    NODE_ENV: env.NODE_ENV,
    HOME: scratch,
    DATA_DIR: path.resolve(env.DATA_DIR),
    TG_PROJECT_ROOT: PROJECT_ROOT,
  };
}

export interface ChildGradeOptions {
  onProgress?: (progress: GradingProgress) => void;
  signal?: AbortSignal;
  /** Hard limit after which the child is killed. */
  timeoutMs: number;
}

/** Grades in child processes; `close` ends them (worker shutdown). */
export interface ChildGrader {
  grade(input: ChildGradeInput, opts: ChildGradeOptions): Promise<GradingReport>;
  /** Starts `count` children ahead of the first job, so it does not wait for start-up. */
  warm(count: number): void;
  close(): Promise<void>;
}

interface Child {
  proc: ChildProcess;
  /** Its WebAssembly backend's thread count, fixed when it started. */
  threads: number;
  jobs: number;
  /** Killed or exited: never handed out again. */
  dead: boolean;
  exited: Promise<void>;
  idleTimer?: NodeJS.Timeout;
  onMessage?: (msg: ChildMessage) => void;
  onGone?: (why: string) => void;
}

/**
 * Runs grading jobs in separate Node processes (the entry compiled to one JavaScript module, see
 * compile-child.ts), so a long `fit()` never
 * blocks the worker's event loop (BullMQ lock renewal, heartbeats) and a crash or an out-of-memory
 * kill ends only that job. Children are kept warm between jobs — one job at a time each — because
 * starting one (TypeScript, TensorFlow.js, WebAssembly) costs seconds; cancelling, a timeout or
 * any protocol error kills the child, and the next job gets a fresh one.
 *
 * A job resolves with the validated report, or rejects with the user's error (re-created as a
 * GraderUserError), GraderProcessError, GradingCancelledError or GradingTimeoutError.
 */
export function createChildGrader(
  opts: { entry?: string; maxJobsPerChild?: number; idleMs?: number; threadsWhenAlone?: number } = {},
): ChildGrader {
  const entry = opts.entry ?? GRADE_CHILD_ENTRY;
  const wide = opts.threadsWhenAlone ?? wasmThreadsWhenAlone();
  /** Jobs handed to a child and not finished yet. */
  let inFlight = 0;
  const maxJobs = opts.maxJobsPerChild ?? DEFAULT_MAX_JOBS_PER_CHILD;
  const idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
  const idle: Child[] = [];
  const all = new Set<Child>();
  let nextJobId = 1;
  let closed = false;

  const kill = (c: Child) => {
    c.dead = true;
    clearTimeout(c.idleTimer);
    const i = idle.indexOf(c);
    if (i >= 0) idle.splice(i, 1);
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  };

  const spawnChild = (threads: number): Child => {
    // A working directory of its own, removed when the child exits: relative paths in the child
    // reach neither the repository nor DATA_DIR, and whatever it leaves behind goes with it.
    const compiled = compiledChildEntry(entry, PROJECT_ROOT);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tg-grade-"));
    const proc = fork(compiled, [], {
      cwd: scratch,
      env: childEnvironment(scratch, threads),
      execArgv: [`--max-old-space-size=${CHILD_MAX_OLD_SPACE_MB}`],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const removeScratch = () => fs.rmSync(scratch, { recursive: true, force: true });
    proc.once("exit", removeScratch);
    proc.once("error", removeScratch); // a child that could not start never exits
    const child: Child = {
      proc,
      threads,
      jobs: 0,
      dead: false,
      exited: new Promise<void>((resolve) => proc.once("exit", () => resolve())),
    };
    proc.on("message", (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw);
      if (parsed.success) child.onMessage?.(parsed.data);
      else child.onGone?.(`grader process sent an invalid message: ${parsed.error.message}`);
    });
    proc.on("exit", (code, signal) => {
      child.dead = true;
      all.delete(child);
      kill(child);
      child.onGone?.(`grader process exited (${signal ? `signal ${signal}` : `exit code ${code}`})`);
    });
    proc.on("error", (err) => {
      kill(child);
      child.onGone?.(`could not run the grader process: ${err.message}`);
    });
    all.add(child);
    return child;
  };

  /** A warm child with `threads` threads if one is idle, else a new one. */
  const acquire = (threads: number): Child => {
    for (let i = idle.length - 1; i >= 0; i--) {
      const c = idle[i]!;
      if (c.dead || c.threads !== threads) continue;
      idle.splice(i, 1);
      clearTimeout(c.idleTimer);
      return c;
    }
    return spawnChild(threads);
  };

  const release = (c: Child) => {
    c.onMessage = undefined;
    c.onGone = undefined;
    if (closed || c.dead || c.jobs >= maxJobs) return kill(c);
    c.idleTimer = setTimeout(() => kill(c), idleMs);
    c.idleTimer.unref();
    idle.push(c);
  };

  return {
    warm(count: number) {
      // The first job finds the wide child; jobs that arrive while it runs find the one-thread ones.
      for (let i = idle.length; i < count && !closed; i++) release(spawnChild(i === 0 ? wide : 1));
    },
    grade(input, o) {
      return new Promise<GradingReport>((resolve, reject) => {
        if (closed) return reject(new GraderProcessError("the grader is shutting down"));
        if (o.signal?.aborted) return reject(new GradingCancelledError(String(o.signal.reason ?? "aborted")));
        // Alone, a job gets every core; beside another, one thread each (see wasmThreadsWhenAlone).
        const child = acquire(inFlight === 0 ? wide : 1);
        inFlight++;
        child.jobs++;
        const jobId = nextJobId++;
        let done = false;
        const finish = (outcome: { report: GradingReport } | { error: Error }, childHealthy: boolean) => {
          if (done) return;
          done = true;
          inFlight--;
          clearTimeout(timer);
          o.signal?.removeEventListener("abort", onAbort);
          if (!childHealthy) kill(child);
          release(child);
          if ("report" in outcome) resolve(outcome.report);
          else reject(outcome.error);
        };
        const timer = setTimeout(() => finish({ error: new GradingTimeoutError(o.timeoutMs / 1000) }, false), o.timeoutMs);
        const onAbort = () =>
          finish({ error: new GradingCancelledError(String(o.signal?.reason ?? "aborted")) }, false);
        o.signal?.addEventListener("abort", onAbort, { once: true });

        child.onGone = (why) => finish({ error: new GraderProcessError(why) }, false);
        child.onMessage = (msg) => {
          if (msg.jobId !== jobId) return;
          if (msg.type === "progress") {
            o.onProgress?.(msg.progress);
          } else if (msg.type === "report") {
            const report = gradingReportSchema.safeParse(msg.report);
            if (report.success) finish({ report: report.data }, true);
            else finish({ error: new GraderProcessError(`grader produced an invalid report: ${report.error.message}`) }, false);
          } else {
            const e = msg.error;
            finish(
              {
                error: e.userError
                  ? new RemoteGraderUserError(e.code ?? "user_error", e.message, e.name)
                  : new GraderProcessError(`grader process failed: ${e.message}`),
              },
              // A user error leaves the process sound; anything else may have left it in a bad state.
              e.userError,
            );
          }
        };
        child.proc.send({ type: "grade", jobId, input }, (err) => {
          if (err) finish({ error: new GraderProcessError(`could not reach the grader process: ${err.message}`) }, false);
        });
      });
    },
    async close() {
      closed = true;
      const children = [...all];
      for (const c of children) kill(c);
      await Promise.all(children.map((c) => c.exited));
    },
  };
}
