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

/**
 * WebAssembly threads for a grading child that starts a job while no other job runs in its grader: TG_WASM_THREADS
 * when set, else every core (at most 8). Such a job trains on all cores (on this 2-core machine two threads took the
 * lesson's CNN job from 38–40 s to 31–32 s, for a quarter more CPU); children started while another job runs get one
 * thread, so a full queue keeps one single-threaded job per core, the most images per CPU-second (bench/train.ts,
 * README "Training on several threads").
 */
export function wasmThreadsWhenAlone(): number {
  return env.TG_WASM_THREADS ?? Math.min(8, Math.max(1, os.availableParallelism()));
}
