import { fork } from "node:child_process";
import path from "node:path";
import { GraderUserError } from "@/grader/errors";
import { gradingReportSchema, type GradingReport } from "@/grader/report/schema";
import { childMessageSchema, RemoteGraderUserError } from "./child-protocol";

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

/** The default child: the real grader (grader/worker/grade-child.ts). */
export const GRADE_CHILD_ENTRY = path.join(process.cwd(), "grader", "worker", "grade-child.ts");

export interface ChildGradeOptions {
  onProgress?: (progress: Record<string, unknown>) => void;
  signal?: AbortSignal;
  /** Hard limit after which the child is killed. */
  timeoutMs: number;
  /** Child entry module; tests substitute a tiny job speaking the same protocol. */
  entry?: string;
}

/**
 * Runs one grading job in a fresh Node process (TypeScript through tsx), so a long `fit()` never
 * blocks the worker's event loop (BullMQ lock renewal, heartbeats) and a crash or an out-of-memory
 * kill ends only this job. Resolves with the validated report; rejects with the user's error
 * (re-created as a GraderUserError), GraderProcessError, GradingCancelledError or GradingTimeoutError.
 */
export function gradeInChildProcess(input: unknown, opts: ChildGradeOptions): Promise<GradingReport> {
  return new Promise<GradingReport>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new GradingCancelledError(String(opts.signal.reason ?? "aborted")));
      return;
    }
    const child = fork(opts.entry ?? GRADE_CHILD_ENTRY, [], {
      cwd: process.cwd(),
      execArgv: ["--import", "tsx", `--max-old-space-size=${CHILD_MAX_OLD_SPACE_MB}`],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled: { ok: true; report: GradingReport } | { ok: false; error: Error } | null = null;
    const settle = (outcome: NonNullable<typeof settled>) => {
      settled ??= outcome;
    };

    const timer = setTimeout(() => {
      settle({ ok: false, error: new GradingTimeoutError(opts.timeoutMs / 1000) });
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    const onAbort = () => {
      settle({ ok: false, error: new GradingCancelledError(String(opts.signal?.reason ?? "aborted")) });
      child.kill("SIGKILL");
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });

    child.on("message", (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw);
      if (!parsed.success) {
        settle({ ok: false, error: new GraderProcessError(`grader process sent an invalid message: ${parsed.error.message}`) });
        child.kill("SIGKILL");
        return;
      }
      const msg = parsed.data;
      if (msg.type === "progress") {
        if (!settled) opts.onProgress?.(msg.progress);
      } else if (msg.type === "report") {
        const report = gradingReportSchema.safeParse(msg.report);
        settle(
          report.success
            ? { ok: true, report: report.data }
            : { ok: false, error: new GraderProcessError(`grader produced an invalid report: ${report.error.message}`) },
        );
      } else {
        const e = msg.error;
        settle({
          ok: false,
          error: e.userError
            ? new RemoteGraderUserError(e.code ?? "user_error", e.message, e.name)
            : new GraderProcessError(`grader process failed: ${e.message}`),
        });
      }
    });
    child.on("error", (err) => {
      settle({ ok: false, error: new GraderProcessError(`could not run the grader process: ${err.message}`) });
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      const outcome = settled ?? {
        ok: false as const,
        error: new GraderProcessError(
          `grader process exited before reporting (${signal ? `signal ${signal}` : `exit code ${code}`})`,
        ),
      };
      if (outcome.ok) resolve(outcome.report);
      else reject(outcome.error);
    });
    child.send({ type: "grade", input });
  });
}
