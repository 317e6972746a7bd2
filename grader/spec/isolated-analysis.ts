import path from "node:path";
import { Worker } from "node:worker_threads";
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
 * Analysis of what a student submits — parseSpec + analyzeSpec + checkBudget of a spec, the allow-list check of an
 * uploaded model's model.json — runs in a small pool of worker threads with their own heap and stack limits and a
 * wall-clock limit, never on the web server's own thread. A parser bug (an endless loop, an array grown until V8
 * aborts) then costs the one request that hit it: the worker is terminated and replaced, the student gets a 422
 * that says the spec could not be analysed, and the server goes on serving everyone else.
 * Sizes and nesting depth are capped on the web side before anything is sent (./input-bounds.ts).
 * @see ../../../shared/ARCHITECTURE.md "Untrusted input"
 */

/** The limits one analysis runs under. */
export interface AnalysisLimits {
  /** From the task reaching a started worker to its answer. A real spec takes a few milliseconds. */
  timeoutMs: number;
  /** V8 old-generation heap of a worker: a 1 MB topology parses into ~20 MB. */
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
  stackSizeMb: number;
  /** Longest a worker may take to start (TypeScript and zod load in ~0.3–1.5 s) before the request gives up. */
  startTimeoutMs: number;
}

export const ANALYSIS_LIMITS: AnalysisLimits = {
  timeoutMs: 3_000,
  maxOldGenerationSizeMb: 128,
  maxYoungGenerationSizeMb: 16,
  stackSizeMb: 4,
  startTimeoutMs: 30_000,
};

/** Workers per web process: analyses are milliseconds long, so two cover bursts; a third request waits its turn. */
export const ANALYSIS_POOL_SIZE = 2;

/** Longest model.json text read at submit time: TF.js model.json files of real models are well under 1 MB. */
export const MAX_MODEL_JSON_CHARS = 8 * 1024 * 1024;

/** The real worker entry (TypeScript, loaded by the boot script), beside the sources like the grader's child. */
export const ANALYSIS_WORKER_ENTRY = path.join(process.cwd(), "grader", "spec", "analysis-worker-entry.ts");
const ANALYSIS_WORKER_BOOT = path.join(process.cwd(), "grader", "spec", "analysis-worker-boot.mjs");

const LIMIT_MESSAGES = {
  time: (subject: string, l: AnalysisLimits) => `${subject} could not be analysed in time (it ran past ${l.timeoutMs / 1000} s).`,
  memory: (subject: string, l: AnalysisLimits) =>
    `${subject} could not be analysed: it used too much memory (over ${l.maxOldGenerationSizeMb} MB).`,
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

interface PooledWorker {
  worker: Worker;
  ready: Promise<void>;
  dead: boolean;
  /** The task it is running, told how the worker ended if it ends mid-task. */
  onAnswer?: (answer: AnalysisAnswer) => void;
  onGone?: (why: "memory" | "crash", detail: string) => void;
}

export interface AnalysisPool {
  /** Runs one task in a worker under the pool's limits; resolves with the worker's answer (never `ready`). */
  run(task: AnalysisTask, subject: string): Promise<Exclude<AnalysisAnswer, { outcome: "ready" }>>;
  /** Workers alive now (started or starting). */
  size(): number;
  close(): Promise<void>;
}

/**
 * A pool of at most `size` analysis workers, started on first use and kept warm (start-up costs far more than an
 * analysis). A task that overruns its time is cut off by terminating its worker; one that overruns the heap limit
 * ends its worker by itself (ERR_WORKER_OUT_OF_MEMORY). Either way the worker is dropped and the next task gets a
 * fresh one. `entry` lets tests run a worker with deliberately pathological handlers.
 */
export function createAnalysisPool(opts: { entry?: string; size?: number; limits?: Partial<AnalysisLimits> } = {}): AnalysisPool {
  const entry = opts.entry ?? ANALYSIS_WORKER_ENTRY;
  const maxSize = opts.size ?? ANALYSIS_POOL_SIZE;
  const limits: AnalysisLimits = { ...ANALYSIS_LIMITS, ...opts.limits };
  const all = new Set<PooledWorker>();
  const idle: PooledWorker[] = [];
  const waiting: ((w: PooledWorker) => void)[] = [];
  let nextId = 1;
  let closed = false;

  const drop = (w: PooledWorker) => {
    w.dead = true;
    all.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    void w.worker.terminate();
  };

  const spawn = (): PooledWorker => {
    const worker = new Worker(ANALYSIS_WORKER_BOOT, {
      workerData: { entry },
      resourceLimits: {
        maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb,
        maxYoungGenerationSizeMb: limits.maxYoungGenerationSizeMb,
        stackSizeMb: limits.stackSizeMb,
      },
    });
    // A warm idle worker must not keep a CLI or a test process alive.
    worker.unref();
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    const w: PooledWorker = {
      worker,
      dead: false,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
    };
    // Awaited by whoever uses the worker; this keeps an unwatched start failure from becoming an unhandled rejection.
    w.ready.catch(() => {});
    worker.on("message", (raw: unknown) => {
      const answer = analysisAnswerSchema.safeParse(raw);
      if (!answer.success) {
        console.error("[analysis] worker sent an invalid message; replacing it:", answer.error.message);
        w.onGone?.("crash", "invalid message");
        drop(w);
        return;
      }
      if (answer.data.outcome === "ready") markReady();
      else w.onAnswer?.(answer.data);
    });
    worker.on("error", (err: Error & { code?: string }) => {
      const memory = err.code === "ERR_WORKER_OUT_OF_MEMORY";
      if (!memory) console.error("[analysis] worker failed:", err);
      failStart(err);
      w.onGone?.(memory ? "memory" : "crash", err.message);
      drop(w);
    });
    worker.on("exit", (code) => {
      failStart(new Error(`analysis worker exited with code ${code} before it was ready`));
      w.onGone?.("crash", `exit code ${code}`);
      drop(w);
    });
    all.add(w);
    return w;
  };

  const acquire = (): Promise<PooledWorker> => {
    for (let w = idle.pop(); w; w = idle.pop()) if (!w.dead) return Promise.resolve(w);
    if (all.size < maxSize) return Promise.resolve(spawn());
    return new Promise((resolve) => waiting.push(resolve));
  };

  const release = (w: PooledWorker) => {
    w.onAnswer = undefined;
    w.onGone = undefined;
    if (closed || w.dead) return handOver();
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };

  /** A worker was dropped: a waiting task gets a fresh one in its place. */
  const handOver = () => {
    if (closed) return;
    while (waiting.length > 0 && all.size < maxSize) waiting.shift()!(spawn());
  };

  const withTimeout = <T,>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(onTimeout()), ms);
      p.then(
        (v) => (clearTimeout(timer), resolve(v)),
        (e) => (clearTimeout(timer), reject(e)),
      );
    });

  return {
    async run(task, subject) {
      if (closed) throw new Error("the analysis pool is closed");
      const w = await acquire();
      try {
        await withTimeout(w.ready, limits.startTimeoutMs, () => new Error(`the analysis worker did not start within ${limits.startTimeoutMs} ms`));
      } catch (e) {
        drop(w);
        handOver();
        console.error("[analysis] could not start a worker:", (e as Error).message);
        throw new Error(`analysis worker unavailable: ${(e as Error).message}`);
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        let settled = false;
        const settle = (outcome: { answer: Exclude<AnalysisAnswer, { outcome: "ready" }> } | { error: Error }, healthy: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (!healthy) drop(w);
          release(w);
          if ("answer" in outcome) resolve(outcome.answer);
          else reject(outcome.error);
        };
        const timer = setTimeout(() => {
          console.error(`[analysis] ${subject} ran past ${limits.timeoutMs} ms; the worker is terminated and replaced`);
          settle({ error: new SpecAnalysisLimitError("time", subject, limits) }, false);
        }, limits.timeoutMs);
        w.onAnswer = (answer) => {
          if (answer.outcome === "ready" || answer.id !== id) return;
          if (answer.outcome === "failed") console.error(`[analysis] ${subject}: the analysis threw:`, answer.message);
          settle({ answer }, true);
        };
        w.onGone = (why, detail) => {
          console.error(`[analysis] ${subject}: the worker ended (${detail}); it is replaced`);
          settle({ error: new SpecAnalysisLimitError(why, subject, limits) }, false);
        };
        w.worker.postMessage({ id, task });
      });
    },
    size: () => all.size,
    async close() {
      closed = true;
      const workers = [...all];
      for (const w of workers) drop(w);
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

const globalForAnalysis = globalThis as unknown as { tgAnalysisPool?: AnalysisPool };

/** The web process's pool, created on the first submission (a site nobody submits to starts no worker). */
export function analysisPool(): AnalysisPool {
  return (globalForAnalysis.tgAnalysisPool ??= createAnalysisPool());
}

type Answer = Exclude<AnalysisAnswer, { outcome: "ready" }>;

function unwrap<K extends Answer["outcome"]>(answer: Answer, expected: K, subject: string, limits: AnalysisLimits): Extract<Answer, { outcome: K }> {
  if (answer.outcome === "userError") throw reviveUserError(answer.error);
  if (answer.outcome === "failed") throw new SpecAnalysisLimitError("crash", subject, limits);
  if (answer.outcome !== expected) throw new Error(`analysis worker answered ${answer.outcome} to a ${expected} task`);
  return answer as Extract<Answer, { outcome: K }>;
}

/**
 * parseSpec + analyzeSpec + checkBudget of a submitted spec, in an analysis worker: the validated spec when it may
 * be queued.
 * @throws SpecInputTooLargeError before parsing, when the spec is too long or too deeply nested
 * @throws SpecValidationError | SpecOverBudgetError | a revived UnknownBaseModelError — what the analysis found
 * @throws SpecAnalysisLimitError when the analysis ran out of time or memory (the worker was replaced)
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
 * analysis worker.
 * @throws SpecInputTooLargeError | ModelArchiveError (revived) | SpecAnalysisLimitError
 */
export async function checkUploadedModelJson(text: string, pool: AnalysisPool = analysisPool()): Promise<void> {
  checkTextBounds(text, "model.json", MAX_MODEL_JSON_CHARS);
  const subject = "The model's model.json";
  unwrap(await pool.run({ kind: "modelJson", text }, subject), "modelJson", subject, ANALYSIS_LIMITS);
}
