/**
 * Runs the WebAssembly backend's threaded SIMD build under Node (tfjs-backend-wasm 4.x turns it off there:
 * tensorflow/tfjs#3830). The build itself supports Node's worker_threads; what fails is only how the backend hands
 * the two scripts to Emscripten — as Blob URLs, which `new Worker()` in Node cannot open. While the backend
 * initialises, `withFileBlobs` makes each Blob the backend creates a file in a scratch directory and lets its
 * "object URL" be that file's path; the worker script is taught to import a path passed as a String object.
 *
 * XNNPACK then splits each convolution and matrix product over `threads` threads (pthreadpool). Every output value is
 * still computed by one thread with the same micro-kernel, so results are the same as on one thread (tested in
 * tests/grader/wasm-threads.test.ts). Any failure leaves the caller on the single-threaded build.
 *
 * One more thing stands in the way: the build sizes its pool as min(requested, logical cores / 2) — it assumes two
 * hyper-threads per core — so on a 2-vCPU machine it would never start a second thread. While it initialises, os.cpus()
 * reports twice the requested count; the caller chooses the count (the grader: its share of the cores).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Tf } from "./load-tf";

/** How the backend's main script (the threaded factory's source) begins. */
const MAIN_SCRIPT = "var WasmBackendModuleThreadedSimd = ";

/** The names the threaded factory's source uses from its bundle's scope (tfjs-backend-wasm 4.22 node bundle). */
const PRELUDE =
  'var require$$0 = require("fs"), require$$1 = require("path"), require$$3 = require("perf_hooks"), ' +
  'require$$4 = require("os"), commonjsGlobal = globalThis;\n';

/** The worker script imports the main script only from a string; a String object (a path) arrives from us. */
const WORKER_IMPORT = 'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}';
const WORKER_IMPORT_PATH =
  'if(typeof e.data.urlOrBlob=="string"||e.data.urlOrBlob instanceof String){importScripts(String(e.data.urlOrBlob))}';

function scratchDir(): string {
  const dir = path.join(os.tmpdir(), `tensorgrade-wasm-threads-${process.getuid?.() ?? "user"}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Writes a script once per content (the name is its hash), as CommonJS whatever package.json says. */
function writeScript(text: string): string {
  const file = path.join(scratchDir(), `${createHash("sha256").update(text).digest("hex").slice(0, 16)}.cjs`);
  writeFileSync(file, text);
  return file;
}

/** The script to write for one of the backend's two Blobs; undefined for a script this shim does not know. */
function asScript(text: string): string | undefined {
  if (text.startsWith(MAIN_SCRIPT)) return PRELUDE + text;
  if (text.includes(WORKER_IMPORT)) return text.replace(WORKER_IMPORT, WORKER_IMPORT_PATH);
  return undefined;
}

/**
 * Calls `init` with `Blob` and `URL.createObjectURL` replaced by file-backed versions, then restores them. Nothing
 * else runs in a grading child while the backend initialises.
 */
export async function withFileBlobs<T>(init: () => Promise<T>): Promise<T> {
  const { Blob: RealBlob } = globalThis;
  const realCreateObjectURL = URL.createObjectURL.bind(URL);
  let failed: Error | undefined;
  class FileBlob {
    constructor(parts: unknown[]) {
      const text = parts.map(String).join("");
      const script = asScript(text);
      if (script === undefined) failed = new Error("the WebAssembly backend made a script this version of the thread shim does not know");
      // A constructor may return an object in place of `this`: the path, as a String object that survives
      // postMessage to the pthread workers.
      return new String(writeScript(script ?? text)) as unknown as FileBlob;
    }
  }
  globalThis.Blob = FileBlob as unknown as typeof Blob;
  URL.createObjectURL = ((obj: unknown) => (obj instanceof String ? String(obj) : realCreateObjectURL(obj as Blob))) as typeof URL.createObjectURL;
  try {
    const result = await init();
    if (failed) throw failed;
    return result;
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
  }
}

interface PThreadPool {
  unusedWorkers: { unref(): void }[];
  runningWorkers: { unref(): void }[];
}

/** The pool's workers wait for work forever; like timers, they must not keep a finished process alive. */
function unrefWorkers(tf: Tf): void {
  const pool = (tf.backend() as unknown as { wasm?: { PThread?: PThreadPool } }).wasm?.PThread;
  if (!pool) throw new Error("the threaded build has no worker pool");
  for (const worker of [...pool.unusedWorkers, ...pool.runningWorkers]) worker.unref();
}

/** The version whose scripts the shim above was written against; any other keeps one thread. */
const SHIMMED_VERSION = "4.22.0";

export type ThreadsOutcome = { threads: number; why?: string };

/**
 * Initialises the "wasm" backend on the threaded SIMD build with `threads` threads. On any failure the backend is left
 * uninitialised (the caller then calls tf.setBackend("wasm") for the single-threaded build) and `why` says what failed.
 */
export async function initWasmThreads(tf: Tf, threads: number): Promise<ThreadsOutcome> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (wasm.version_wasm !== SHIMMED_VERSION) return { threads: 1, why: `tfjs-backend-wasm ${wasm.version_wasm} is not ${SHIMMED_VERSION}` };
  if (typeof SharedArrayBuffer === "undefined") return { threads: 1, why: "no SharedArrayBuffer" };
  const flags = tf.env();
  const realCpus = os.cpus;
  flags.set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasm.setThreadsCount(threads);
  const cpus = realCpus();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]!);
  try {
    const ok = await withFileBlobs(() => tf.setBackend("wasm"));
    if (!ok) throw new Error("the threaded build failed to initialise");
    await tf.ready();
    const got = wasm.getThreadsCount();
    if (got !== threads) throw new Error(`asked for ${threads} threads, the pool has ${got}`);
    unrefWorkers(tf);
    return { threads: got };
  } catch (e) {
    flags.set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setThreadsCount(1);
    if (tf.getBackend() === "wasm") tf.removeBackend("wasm");
    return { threads: 1, why: e instanceof Error ? e.message : String(e) };
  } finally {
    os.cpus = realCpus;
  }
}
