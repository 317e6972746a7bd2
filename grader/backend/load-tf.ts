import { existsSync } from "node:fs";
import { env } from "@/env";
import type { Backend } from "../report/schema";
import { registerFastKernels } from "./fast-kernels/register-fast-kernels";
import { registerTrainingKernels } from "./wasm-kernels/register";
import { initWasmThreads } from "./wasm-threads";

/** The `tf` namespace the whole grader uses; tfjs-node(-gpu) re-export the same API. */
export type Tf = typeof import("@tensorflow/tfjs");

export interface LoadedTf {
  tf: Tf;
  backend: Backend;
  /** WebAssembly: the threads its XNNPACK pool runs on (1 on the single-threaded build). Absent for tfjs-node. */
  threads?: number;
}

const log = (msg: string): void => console.info(`[grader:backend] ${msg}`);

/** Imports a package that may be absent without making TypeScript or the bundler resolve it at build time. */
async function importOptional(name: string): Promise<Tf> {
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as Tf;
}

/** tfjs-node-gpu loads (and silently runs on CPU) without a GPU; we only call it a GPU backend when a device exists. */
function gpuDevicePresent(): boolean {
  return existsSync("/dev/nvidiactl") || existsSync("/dev/nvidia0") || existsSync("/dev/dxg");
}

async function tryNode(pkg: "@tensorflow/tfjs-node-gpu" | "@tensorflow/tfjs-node"): Promise<Tf | Error> {
  try {
    const tf = await importOptional(pkg);
    await tf.ready();
    if (tf.getBackend() !== "tensorflow") return new Error(`${pkg} loaded but its backend is ${tf.getBackend()}`);
    return tf;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

async function loadWasm(): Promise<{ tf: Tf; threads: number }> {
  const tf = await import("@tensorflow/tfjs");
  await import("@tensorflow/tfjs-backend-wasm");
  const added = registerTrainingKernels("wasm");
  // Faster formulations of the training kernels (issue 7), replacing both the backend's and the gap-filling ones.
  if (env.TG_WASM_FAST_KERNELS === "on") added.push(...registerFastKernels("wasm"));
  if (added.length) log(`registered training kernels on wasm: ${added.join(", ")}`);
  const threads = env.TG_WASM_THREADS ?? 1;
  if (threads > 1) {
    const outcome = await initWasmThreads(tf, threads);
    log(outcome.threads > 1 ? `WebAssembly backend on ${outcome.threads} threads` : `WebAssembly threads unavailable (${outcome.why}); one thread`);
    if (outcome.threads > 1) return { tf, threads: outcome.threads };
  }
  if (!(await tf.setBackend("wasm"))) throw new Error("The WebAssembly backend failed to initialise");
  await tf.ready();
  return { tf, threads: 1 };
}

async function load(): Promise<LoadedTf> {
  const forced = env.TG_BACKEND;
  if (forced === "gpu" || forced === undefined) {
    if (forced === "gpu" || gpuDevicePresent()) {
      const tf = await tryNode("@tensorflow/tfjs-node-gpu");
      if (!(tf instanceof Error) && gpuDevicePresent()) return { tf, backend: "tfjs-node-gpu" };
      const why = tf instanceof Error ? tf.message.split("\n")[0] : "no GPU device found";
      if (forced === "gpu") throw new Error(`TG_BACKEND=gpu but @tensorflow/tfjs-node-gpu is unusable: ${why}`);
      log(`tfjs-node-gpu unavailable (${why})`);
    }
  }
  if (forced === "node" || forced === undefined) {
    const tf = await tryNode("@tensorflow/tfjs-node");
    if (!(tf instanceof Error)) return { tf, backend: "tfjs-node" };
    const why = tf.message.split("\n")[0];
    if (forced === "node") throw new Error(`TG_BACKEND=node but @tensorflow/tfjs-node is unusable: ${why}`);
    log(`tfjs-node unavailable (${why}); falling back to WebAssembly`);
  }
  return { ...(await loadWasm()), backend: "wasm" };
}

let loading: Promise<LoadedTf> | undefined;

/**
 * Picks the compute backend once per process: tfjs-node-gpu (when a GPU is usable), then tfjs-node, then tfjs with
 * the WebAssembly backend plus the project's training kernels. `TG_BACKEND` (gpu | node | wasm) forces one and fails
 * loudly if it cannot load. The rest of the grader only uses the returned `tf`.
 * @see docs/architecture.md, "Real parts, and their embedded defaults"
 */
export function loadTf(): Promise<LoadedTf> {
  loading ??= load().then(
    (loaded) => {
      log(`running on ${loaded.backend}`);
      return loaded;
    },
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}
