import { fork } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { env } from "@/env";
import { TooManyRequestsError } from "@/lib/errors";
import { DatasetArchiveError } from "../errors";
import { inspectionAnswerSchema, type InspectionAnswer, type InspectionTask } from "./own-dataset-inspection-protocol";

/**
 * A student's uploaded dataset is decoded, split and described in a child process of its own, one per upload,
 * never in the web server: the zip is read from disk there, with a heap limit, a resident-memory limit and a
 * wall-clock limit. A bomb that slips past the archive caps, a decoder that loops or a flood of images costs that
 * one upload a 4xx; the server goes on serving. (The same reasoning as grader/spec/isolated-analysis.ts: a child
 * process's abort is only its own.) At most INSPECTION_CONCURRENCY run at once per web process; the rest wait.
 */

export interface InspectionLimits {
  /** From the child's `ready` to its answer: 6,000 small images took 40–112 s on this 2-core machine at load 25 (bench/own-dataset-inspection.ts). */
  timeoutMs: number;
  /** Longest the child may take to start (Node + tsx + sharp). */
  startTimeoutMs: number;
  /** V8 old-generation heap (`--max-old-space-size`); the decoded pixels live outside it, in array buffers. */
  maxOldSpaceMb: number;
  /** Resident memory of the child (pixels, libvips, heap), checked every 200 ms where /proc exists; killed past it. */
  maxRssMb: number;
}

export const INSPECTION_LIMITS: InspectionLimits = { timeoutMs: 240_000, startTimeoutMs: 30_000, maxOldSpaceMb: 384, maxRssMb: 1536 };

/** Inspections at once per web process (each uses a core while it decodes); further uploads wait their turn. */
export const INSPECTION_CONCURRENCY = 2;
/** Uploads waiting past this many are refused (429) rather than queued without end. */
export const INSPECTION_MAX_WAITING = 16;

const PROJECT_ROOT = process.cwd();
export const INSPECTION_CHILD_ENTRY = path.join(PROJECT_ROOT, "grader", "data", "own-dataset-inspection-child.ts");
const TSX_LOADER = pathToFileURL(path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** The inspection was stopped by a limit (time, memory) or its process died: said to the student as a refusal. */
export class InspectionLimitError extends DatasetArchiveError {
  constructor(readonly limit: "time" | "memory" | "crash", limits: InspectionLimits) {
    super(
      limit === "time"
        ? `The dataset could not be read in time (it took longer than ${limits.timeoutMs / 1000} s). Upload fewer or smaller images.`
        : limit === "memory"
          ? `The dataset could not be read: reading it needed more memory than the ${limits.maxRssMb} MB allowed. Upload fewer or smaller images.`
          : "The dataset could not be read: its reader stopped unexpectedly. Check that the zip holds ordinary JPEG, PNG or WebP images.",
    );
  }
}

/** Every inspection is busy and the waiting line is full (a 429: the upload may be sent again shortly). */
export class InspectionBusyError extends TooManyRequestsError {
  constructor() {
    super("Too many datasets are being read right now; try again in a minute.");
  }
}

let running = 0;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (running >= INSPECTION_CONCURRENCY) {
    if (waiting.length >= INSPECTION_MAX_WAITING) throw new InspectionBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** Resident set size of a process in MB from /proc, or undefined where there is none (the heap limit still holds). */
async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export type InspectionResult = Extract<InspectionAnswer, { outcome: "inspected" }>;

/**
 * Inspects one uploaded dataset zip in a fresh child process under `limits`; thumbnails land in `task.outDir`.
 * @throws DatasetArchiveError (the upload broke a cap or rule, naming the folder or file), InspectionLimitError,
 *   InspectionBusyError
 */
export async function inspectOwnDatasetIsolated(
  task: InspectionTask, opts: { limits?: Partial<InspectionLimits>; entry?: string } = {},
): Promise<InspectionResult> {
  const limits = { ...INSPECTION_LIMITS, ...opts.limits };
  const done = await turn();
  try {
    return await runChild(task, limits, opts.entry ?? INSPECTION_CHILD_ENTRY);
  } finally {
    done();
  }
}

function runChild(task: InspectionTask, limits: InspectionLimits, entry: string): Promise<InspectionResult> {
  return new Promise((resolve, reject) => {
    const proc = fork(entry, [], {
      cwd: PROJECT_ROOT,
      // It reads an untrusted archive and needs nothing from the server's environment: no database URL, no secrets.
      env: { NODE_ENV: env.NODE_ENV, TSX_TSCONFIG_PATH: path.join(PROJECT_ROOT, "tsconfig.json") },
      execArgv: ["--import", TSX_LOADER, `--max-old-space-size=${limits.maxOldSpaceMb}`],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    const watch = setInterval(() => {
      if (proc.pid === undefined) return;
      void rssMb(proc.pid).then((mb) => {
        if (mb !== undefined && mb > limits.maxRssMb) {
          console.error(`[own-datasets] an inspection used ${Math.round(mb)} MB; its process is killed`);
          finish({ error: new InspectionLimitError("memory", limits) });
        }
      });
    }, 200);
    const startTimer = setTimeout(() => finish({ error: new Error(`the inspection process did not start within ${limits.startTimeoutMs} ms`) }), limits.startTimeoutMs);
    let workTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: { result: InspectionResult } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(startTimer);
      clearTimeout(workTimer);
      clearInterval(watch);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      if ("result" in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    const killOnExit = (): void => void proc.kill("SIGKILL");
    process.once("exit", killOnExit);
    proc.once("exit", () => process.off("exit", killOnExit));
    proc.on("message", (raw: unknown) => {
      const answer = inspectionAnswerSchema.safeParse(raw);
      if (!answer.success) {
        console.error("[own-datasets] the inspection process sent an invalid message:", answer.error.message);
        return finish({ error: new InspectionLimitError("crash", limits) });
      }
      const a = answer.data;
      if (a.outcome === "ready") {
        clearTimeout(startTimer);
        workTimer = setTimeout(() => {
          console.error(`[own-datasets] an inspection ran past ${limits.timeoutMs} ms; its process is killed`);
          finish({ error: new InspectionLimitError("time", limits) });
        }, limits.timeoutMs);
        proc.send(task);
      } else if (a.outcome === "inspected") finish({ result: a });
      else if (a.outcome === "refused") finish({ error: new DatasetArchiveError(a.message, a.files) });
      else {
        console.error("[own-datasets] the inspection threw:", a.message);
        finish({ error: new InspectionLimitError("crash", limits) });
      }
    });
    proc.on("exit", (code, signal) => {
      if (settled) return;
      console.error(`[own-datasets] the inspection process ended (${signal ?? `exit code ${code}`}) before answering`);
      // V8's own aborts at its heap limit (SIGABRT) or an oversized array (SIGTRAP) are memory.
      finish({ error: new InspectionLimitError(signal === "SIGABRT" || signal === "SIGTRAP" ? "memory" : "crash", limits) });
    });
    proc.on("error", (err) => finish({ error: new Error(`could not run the inspection process: ${err.message}`) }));
  });
}
