import os from "node:os";
import { env } from "@/env";

/**
 * Jobs one grader process runs at once. GRADER_CONCURRENCY wins when set. Otherwise one job per
 * core: each job trains in its own child process on one thread (wasm, or tfjs-node's CPU kernels),
 * so jobs are CPU-bound and a core left idle is throughput lost. A GPU host shares one device
 * between its jobs, so it defaults to one.
 */
export function defaultGraderConcurrency(): number {
  if (env.GRADER_CONCURRENCY) return env.GRADER_CONCURRENCY;
  if (env.TG_BACKEND === "gpu") return 1;
  return Math.max(1, os.availableParallelism());
}
