import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { TestServer } from "./server";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface TestWorker {
  logs: () => string;
  stop(): Promise<void>;
}

/**
 * With REDIS_URL set the web only enqueues, so a test that waits for grading starts a grader worker
 * process (`npm run grader`) with the server's environment, as production runs one. Without Redis the
 * server grades in its own child process and this returns null. Give the server its own
 * GRADER_QUEUE_PREFIX so test files sharing one Redis never take each other's jobs.
 */
export function startGraderWorkerIfQueued(server: TestServer): TestWorker | null {
  if (!server.env.REDIS_URL) return null;
  let logs = "";
  const worker: ChildProcess = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["grader/worker/main.ts"], {
    cwd: ROOT,
    env: server.env as NodeJS.ProcessEnv,
  });
  worker.stdout?.on("data", (d) => (logs += d));
  worker.stderr?.on("data", (d) => (logs += d));
  return {
    logs: () => logs,
    async stop() {
      if (worker.exitCode !== null) return;
      worker.kill("SIGTERM");
      await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once("exit", r)));
    },
  };
}
