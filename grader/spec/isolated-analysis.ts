import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { env } from "@/env";
import { GraderUserError, SpecOverBudgetError, type Issue } from "../errors";
import {
  analysisAnswerSchema,
  reviveUserError,
  type AnalysisAnswer,
  type AnalysisAssignment,
  type AnalysisTask,
} from "./analysis-protocol";
import { checkTextBounds, checkValueBounds } from "./input-bounds";
import type { Spec } from "./schema";

/**
 * Analysis of what a student submits — the one spec check (checkSpecForAssignment, ./check-spec.ts), the allow-list check of an
 * uploaded model's model.json — runs in a small pool of child processes with a heap limit and a wall-clock limit,
 * never in the web server's own process. A parser bug (an endless loop, an array grown until V8 aborts) then costs
 * the one request that hit it: the child is killed or dies, is replaced, the student gets a 422 that says the spec
 * could not be analysed, and the server goes on serving everyone else.
 *
 * Why processes and not worker threads: a worker's `resourceLimits` only give V8 16 MB of leeway past the heap
 * limit, so an array that grows in large steps (what the issue-10 bug did) ends in "FATAL ERROR: Reached heap limit",
 * and a V8 fatal error aborts the whole process, every thread with it. A child process's abort is only its own.
 * Sizes and nesting depth are capped on the web side before anything is sent (./input-bounds.ts).
 * @see docs/architecture.md, "Untrusted input"
 */

/** The limits one analysis runs under. */
export interface AnalysisLimits {
  /** From the task reaching a started child to its answer. A real spec takes a few milliseconds. */
  timeoutMs: number;
  /** V8 old-generation heap of a child (`--max-old-space-size`): a 1 MB topology parses into ~20 MB. */
  maxOldSpaceMb: number;
  /** Longest a child may take to start (Node, tsx and zod load in ~0.3–1.5 s) before the request gives up. */
  startTimeoutMs: number;
}

export const ANALYSIS_LIMITS: AnalysisLimits = {
  timeoutMs: 3_000,
  maxOldSpaceMb: 128,
  startTimeoutMs: 30_000,
};

/**
 * Children per web process. Analyses take milliseconds, so one would do; a second keeps everyone else answered
 * while one runaway spec holds the other for its few seconds. Each idle child holds ~60 MB.
 */
export const ANALYSIS_POOL_SIZE = 2;

/** An idle child is let go after this long: a quiet site does not keep its ~100 MB. */
export const ANALYSIS_IDLE_MS = 10 * 60_000;

/** Longest model.json text read at submit time: TF.js model.json files of real models are well under 1 MB. */
export const MAX_MODEL_JSON_CHARS = 8 * 1024 * 1024;

/** The repository: where the child's TypeScript and tsx are (`npm start` and vitest run from it). */
const PROJECT_ROOT = process.cwd();
/** The real child entry, beside the sources like the grader's training child. */
export const ANALYSIS_CHILD_ENTRY = path.join(PROJECT_ROOT, "grader", "spec", "analysis-child-entry.ts");
/** tsx's loader by absolute URL, so the child loads TypeScript whatever its module resolution starts from. */
const TSX_LOADER = pathToFileURL(path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

const LIMIT_MESSAGES = {
  time: (subject: string, l: AnalysisLimits) => `${subject} could not be analysed in time (it ran past ${l.timeoutMs / 1000} s).`,
  memory: (subject: string, l: AnalysisLimits) => `${subject} could not be analysed: it used too much memory (over ${l.maxOldSpaceMb} MB).`,
  crash: (subject: string) => `${subject} could not be analysed: the analysis stopped unexpectedly.`,
};

/** The analysis ran out of time or memory (or died), so it was stopped: the input is almost certainly pathological. */
export class SpecAnalysisLimitError extends GraderUserError {
  constructor(
    readonly limit: "time" | "memory" | "crash",
    subject: string,
    limits: AnalysisLimits,
  ) {
    super(
      limit === "time" ? "spec_analysis_timeout" : limit === "memory" ? "spec_analysis_memory" : "spec_analysis_failed",
      `${LIMIT_MESSAGES[limit](subject, limits)} A well-formed model is analysed in milliseconds: look for repeated layer names, a layer that feeds itself, or a topology far larger than the assignment needs.`,
    );
  }
}

type Answer = Exclude<AnalysisAnswer, { outcome: "ready" }>;

interface PooledChild {
  proc: ChildProcess;
  ready: Promise<void>;
  dead: boolean;
  idleTimer?: NodeJS.Timeout;
  /** The task it is running, told of its answer or of how the child ended mid-task. */
  onAnswer?: (answer: Answer) => void;
  onGone?: (why: "memory" | "crash", detail: string) => void;
}

export interface AnalysisPool {
  /** Runs one task in a child under the pool's limits; resolves with the child's answer. */
  run(task: AnalysisTask, subject: string): Promise<Answer>;
  /** Children alive now (started or starting). */
  size(): number;
  close(): Promise<void>;
}

/** V8's own aborts: a heap limit reached ("FATAL ERROR: Reached heap limit": SIGABRT) or an array past its maximum size ("invalid size error": SIGTRAP). */
const OUT_OF_MEMORY_SIGNALS = new Set(["SIGABRT", "SIGTRAP"]);

/** Every live analysis child of this process, whichever pool started it. */
const liveChildren = new Set<ChildProcess>();
let killOnExitInstalled = false;

/**
 * A child stuck in a loop never sees its IPC channel close, so it would outlive a server that exits while it runs;
 * killing the children as this process exits covers every way out but SIGKILL.
 */
function track(proc: ChildProcess): void {
  liveChildren.add(proc);
  proc.once("exit", () => liveChildren.delete(proc));
  if (killOnExitInstalled) return;
  killOnExitInstalled = true;
  process.once("exit", () => {
    for (const p of liveChildren) p.kill("SIGKILL");
  });
}

/**
 * A pool of at most `size` analysis children, started on first use and kept warm (start-up costs far more than an
 * analysis). A task that overruns its time is cut off by killing its child; one that overruns the heap limit ends
 * its child by itself. Either way the child is dropped and the next task gets a fresh one. `entry` lets tests run
 * a child with deliberately pathological handlers.
 */
export function createAnalysisPool(
  opts: { entry?: string; size?: number; limits?: Partial<AnalysisLimits>; idleMs?: number } = {},
): AnalysisPool {
  const entry = opts.entry ?? ANALYSIS_CHILD_ENTRY;
  const idleMs = opts.idleMs ?? ANALYSIS_IDLE_MS;
  const maxSize = opts.size ?? ANALYSIS_POOL_SIZE;
  const limits: AnalysisLimits = { ...ANALYSIS_LIMITS, ...opts.limits };
  const all = new Set<PooledChild>();
  const idle: PooledChild[] = [];
  const waiting: ((c: PooledChild) => void)[] = [];
  const exits: Promise<void>[] = [];
  let nextId = 1;
  let closed = false;

  const drop = (c: PooledChild) => {
    c.dead = true;
    clearTimeout(c.idleTimer);
    all.delete(c);
    const i = idle.indexOf(c);
    if (i >= 0) idle.splice(i, 1);
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  };

  const spawn = (): PooledChild => {
    const proc = fork(entry, [], {
      cwd: PROJECT_ROOT,
      // It parses untrusted text and needs nothing from the server's environment: no database URL, no secrets.
      env: { NODE_ENV: env.NODE_ENV, TSX_TSCONFIG_PATH: path.join(PROJECT_ROOT, "tsconfig.json") },
      execArgv: ["--import", TSX_LOADER, `--max-old-space-size=${limits.maxOldSpaceMb}`],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    track(proc);
    // An idle warm child must not keep a CLI or a test process alive; a running task's timer does that.
    proc.unref();
    proc.channel?.unref();
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    const c: PooledChild = {
      proc,
      dead: false,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
    };
    // Awaited by whoever takes the child; this keeps an unwatched start failure from being an unhandled rejection.
    c.ready.catch(() => {});
    exits.push(new Promise<void>((resolve) => proc.once("exit", () => resolve())));
    proc.on("message", (raw: unknown) => {
      const answer = analysisAnswerSchema.safeParse(raw);
      if (!answer.success) {
        console.error("[analysis] child sent an invalid message; replacing it:", answer.error.message);
        c.onGone?.("crash", "invalid message");
        drop(c);
        return;
      }
      if (answer.data.outcome === "ready") markReady();
      else c.onAnswer?.(answer.data);
    });
    proc.on("exit", (code, signal) => {
      failStart(new Error(`analysis process exited (${signal ?? `code ${code}`}) before it was ready`));
      c.onGone?.(signal && OUT_OF_MEMORY_SIGNALS.has(signal) ? "memory" : "crash", signal ? `signal ${signal}` : `exit code ${code}`);
      drop(c);
    });
    proc.on("error", (err) => {
      console.error("[analysis] could not run the analysis process:", err.message);
      failStart(err);
      c.onGone?.("crash", err.message);
      drop(c);
    });
    all.add(c);
    return c;
  };

  const acquire = (): Promise<PooledChild> => {
    for (let c = idle.pop(); c; c = idle.pop()) {
      clearTimeout(c.idleTimer);
      if (!c.dead) return Promise.resolve(c);
    }
    if (all.size < maxSize) return Promise.resolve(spawn());
    return new Promise((resolve) => waiting.push(resolve));
  };

  /** A child was dropped: a waiting task gets a fresh one in its place. */
  const refill = () => {
    while (!closed && waiting.length > 0 && all.size < maxSize) waiting.shift()!(spawn());
  };

  const release = (c: PooledChild) => {
    c.onAnswer = undefined;
    c.onGone = undefined;
    if (closed || c.dead) return refill();
    const next = waiting.shift();
    if (next) return next(c);
    c.idleTimer = setTimeout(() => drop(c), idleMs);
    c.idleTimer.unref();
    idle.push(c);
  };

  const started = (c: PooledChild): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`it did not start within ${limits.startTimeoutMs} ms`)), limits.startTimeoutMs);
      c.ready.then(
        () => (clearTimeout(timer), resolve()),
        (e: Error) => (clearTimeout(timer), reject(e)),
      );
    });

  return {
    async run(task, subject) {
      if (closed) throw new Error("the analysis pool is closed");
      const c = await acquire();
      try {
        await started(c);
      } catch (e) {
        drop(c);
        release(c);
        console.error("[analysis] no analysis process:", (e as Error).message);
        // Not the student's fault: the server could not start its analysis process (a 500, logged).
        throw new Error(`analysis process unavailable: ${(e as Error).message}`);
      }
      const id = nextId++;
      return new Promise<Answer>((resolve, reject) => {
        let settled = false;
        const settle = (outcome: { answer: Answer } | { error: Error }, healthy: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (!healthy) drop(c);
          release(c);
          if ("answer" in outcome) resolve(outcome.answer);
          else reject(outcome.error);
        };
        const timer = setTimeout(() => {
          console.error(`[analysis] ${subject} ran past ${limits.timeoutMs} ms; its process is killed and replaced`);
          settle({ error: new SpecAnalysisLimitError("time", subject, limits) }, false);
        }, limits.timeoutMs);
        c.onAnswer = (answer) => {
          if (answer.id !== id) return;
          if (answer.outcome === "failed") console.error(`[analysis] ${subject}: the analysis threw:`, answer.message);
          settle({ answer }, true);
        };
        c.onGone = (why, detail) => {
          console.error(`[analysis] ${subject}: the analysis process ended (${detail}); it is replaced`);
          settle({ error: new SpecAnalysisLimitError(why, subject, limits) }, false);
        };
        c.proc.send({ id, task }, (err) => {
          if (err) settle({ error: new Error(`could not reach the analysis process: ${err.message}`) }, false);
        });
      });
    },
    size: () => all.size,
    async close() {
      closed = true;
      for (const c of [...all]) {
        // Unreferenced while warm; referenced again so this process waits for the exit it awaits.
        c.proc.ref();
        drop(c);
      }
      await Promise.all(exits);
    },
  };
}

const globalForAnalysis = globalThis as unknown as { tgAnalysisPool?: AnalysisPool };

/** The web process's pool, created on the first submission (a site nobody submits to starts no process). */
export function analysisPool(): AnalysisPool {
  return (globalForAnalysis.tgAnalysisPool ??= createAnalysisPool());
}

function unwrap<K extends Answer["outcome"]>(answer: Answer, expected: K, subject: string, limits: AnalysisLimits): Extract<Answer, { outcome: K }> {
  if (answer.outcome === "userError") throw reviveUserError(answer.error);
  if (answer.outcome === "failed") throw new SpecAnalysisLimitError("crash", subject, limits);
  if (answer.outcome !== expected) throw new Error(`analysis process answered ${answer.outcome} to a ${expected} task`);
  return answer as Extract<Answer, { outcome: K }>;
}

/**
 * checkSpecForAssignment of a submitted spec, in an analysis process: the validated spec when it may
 * be queued.
 * @throws SpecInputTooLargeError before parsing, when the spec is too long or too deeply nested
 * @throws SpecValidationError | SpecOverBudgetError — what the check found (an unknown base is a SpecValidationError on `base`)
 * @throws SpecAnalysisLimitError when the analysis ran out of time or memory (its process was replaced)
 */
export async function analyseSubmittedSpec(
  raw: unknown,
  assignment: AnalysisAssignment,
  pool: AnalysisPool = analysisPool(),
): Promise<Spec> {
  checkValueBounds(raw);
  const subject = "The spec";
  const task = { kind: "spec", spec: raw, assignment: { inputShape: assignment.inputShape, classes: assignment.classes, budget: assignment.budget } } as const;
  const answer = unwrap(await pool.run(task, subject), "spec", subject, ANALYSIS_LIMITS);
  if (answer.violations.length > 0) throw new SpecOverBudgetError(answer.violations as Issue[]);
  return answer.spec;
}

/**
 * The allow-list check of an uploaded model's `model.json` (see grader/evaluate/check-model-json.ts), in an
 * analysis process.
 * @throws SpecInputTooLargeError | ModelArchiveError (revived) | SpecAnalysisLimitError
 */
export async function checkUploadedModelJson(text: string, pool: AnalysisPool = analysisPool()): Promise<void> {
  checkTextBounds(text, "model.json", MAX_MODEL_JSON_CHARS);
  const subject = "The model's model.json";
  unwrap(await pool.run({ kind: "modelJson", text }, subject), "modelJson", subject, ANALYSIS_LIMITS);
}
