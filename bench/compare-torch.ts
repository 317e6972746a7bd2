/**
 * `npm run bench:train:torch` — Tensorgrade's training throughput on the WebAssembly backend against a fair PyTorch on
 * the CPU: the same network, batch size, optimizer and data path, one thread each, interleaved in rounds.
 *
 *   npm run bench:train:torch -- [--rounds 5] [--steps 20] [--torch-steps 200] [--warmup 3] [--case simple|transfer|all]
 *                                [--python /usr/bin/python3] [--torch-env fair|jemalloc|plain] [--machine [--machine-rounds 3]] [--quick]
 *
 * Cases (bench/train-cases.ts): `simple`, the reference spec simple-cnn.yaml, and `transfer`, phase one of
 * transfer.yaml (its head on the registered base, frozen, so the base runs forward only); PyTorch builds the same
 * layers from the same spec layer list, and the parameter counts of the two models are checked before anything is
 * measured. Both sides read uint8 images and scale them to 0..1 per batch; no augmentation. The Tensorgrade half runs
 * the grader's own `trainModel` (batching, Adam step, per-batch loss/accuracy readback).
 *
 * A fair PyTorch: in a plain process glibc's malloc gives the large freed tensors back to the OS (munmap, heap trim),
 * so every step page-faults its working set in again, and OpenBLAS starts its own thread per core whatever
 * `torch.set_num_threads(1)` says. `--torch-env fair` (the default) gives the child — only the child, never this
 * process, a test or CI — the allocator thresholds that keep that memory, and one thread for OpenBLAS/OpenMP/MKL;
 * `jemalloc` preloads Debian's libjemalloc2 instead of the thresholds; `plain` is the unfixed process, to see what the
 * fix is worth. oneDNN stays on, and both memory layouts are measured (channels-last and contiguous NCHW): the faster
 * by median per CPU-second is "PyTorch". Each PyTorch run reports its page faults, its OS threads, threadpoolctl's view
 * of its pools and the variables it ran with (OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are passed through untouched).
 *
 * Rounds run Tensorgrade, then PyTorch in both layouts (their order alternating), so a change in the machine's load
 * falls on both sides; each run prints the one-minute load average before it. The summary gives the median and each
 * side's best run, in images per second of wall-clock time and per CPU-second of the measuring process (which counts
 * every thread of that process, so a helper thread cannot hide). `--machine` adds the grading machine's view: N
 * Tensorgrade workers at once against N single-threaded PyTorch processes at once, and against one PyTorch on N
 * threads (N = cores). The last lines are a markdown table with the conditions of each figure.
 * The PyTorch half is skipped, with a message, when the python has no torch (e.g. on CI).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { LayersModel } from "@tensorflow/tfjs";
import { z } from "zod";
import type { ImageDataset } from "@/grader/data/image-dataset";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { SeededRandom } from "@/grader/random";
import { parseSpec } from "@/grader/spec/schema";
import { trainModel } from "@/grader/train/train-model";
import { buildCaseModel, caseClasses, INPUT_SHAPE, loadTrainCases, SEED, type TrainCase as Case } from "./train-cases";
import { runPhaseOne, type PhaseOneRun } from "./transfer-phase-one";

const TORCH_SCRIPT = path.join(import.meta.dirname, "torch_simple_cnn.py");
/** torch_simple_cnn.py exits with this when `import torch` fails. */
const NO_TORCH_EXIT = 3;
/** Debian's libjemalloc2, for `--torch-env jemalloc`. */
const JEMALLOC = `/usr/lib/${os.arch() === "arm64" ? "aarch64" : "x86_64"}-linux-gnu/libjemalloc.so.2`;

interface Options {
  steps: number;
  warmup: number;
  /**
   * For runs started at once (`--machine`): a directory where each run, its warmup done, leaves `ready-<pid>` and
   * then waits for `go`, so the measured steps of all of them overlap (their start-up times differ by seconds).
   */
  barrier?: string;
}

/** How long a run waits at the barrier before giving up. */
const BARRIER_TIMEOUT_MS = 120_000;

/** A run's side of the barrier: announce the warmup is done, then block until every run has. Synchronous, because
 * trainModel's progress callback is; the wait happens before the measured steps start. */
function awaitBarrier(dir: string): void {
  writeFileSync(path.join(dir, `ready-${process.pid}`), "");
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + BARRIER_TIMEOUT_MS;
  while (!existsSync(path.join(dir, "go"))) {
    if (Date.now() > until) throw new Error(`no go at the barrier ${dir} after ${BARRIER_TIMEOUT_MS} ms`);
    Atomics.wait(sleeper, 0, 0, 2);
  }
}

type Layout = "channels_last" | "contiguous";
const LAYOUTS: Layout[] = ["channels_last", "contiguous"];
const LAYOUT_NAME: Record<Layout, string> = { channels_last: "channels-last", contiguous: "contiguous NCHW" };

const TORCH_ENVS = ["fair", "jemalloc", "plain"] as const;
type TorchEnv = (typeof TORCH_ENVS)[number];

/**
 * The variables a PyTorch child gets on top of this process's environment. They must exist before the child's C
 * libraries load (glibc reads the malloc thresholds at startup, OpenBLAS sizes its pool when it is loaded), so they
 * cannot be set from inside the Python script.
 */
function torchChildEnv(mode: TorchEnv, threads: number): Record<string, string> {
  if (mode === "plain") return {};
  const pools = { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  if (mode === "jemalloc") {
    if (!existsSync(JEMALLOC)) throw new Error(`--torch-env jemalloc needs ${JEMALLOC} (apt-get install libjemalloc2)`);
    // jemalloc's default decay also hands pages back to the OS within seconds; keep them, as the glibc thresholds do.
    return { ...pools, LD_PRELOAD: JEMALLOC, MALLOC_CONF: "dirty_decay_ms:-1,muzzy_decay_ms:-1" };
  }
  // Freed blocks under 256 MiB go back to malloc's free lists instead of munmap, and the heap is trimmed only past 1 GiB.
  return { ...pools, MALLOC_MMAP_THRESHOLD_: "268435456", MALLOC_TRIM_THRESHOLD_: "1073741824" };
}

/** Random uint8 images: throughput does not depend on the pixels. Enough for warmup + steps batches. */
function syntheticDataset(c: Case, o: Options, classes: number): ImageDataset {
  const count = (o.warmup + o.steps) * c.batchSize;
  const rng = new SeededRandom(SEED);
  const px = INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2];
  const images = new Uint8Array(count * px);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = Uint8Array.from({ length: count }, () => rng.int(classes));
  return { classes: Array.from({ length: classes }, (_, i) => `c${i}`), shape: INPUT_SHAPE, count, images, labels };
}

/** What a Tensorgrade worker (`--worker`) prints, and what one Tensorgrade run measures. */
const tensorgradeRunSchema = z.object({
  imagesPerSecond: z.number(),
  imagesPerCpuSecond: z.number(),
  minorFaultsPerStep: z.number(),
  majorFaultsPerStep: z.number(),
  osThreads: z.number().nullable(),
  /** The measured steps' start and end, milliseconds since the epoch (to check that runs started at once overlapped). */
  windowStart: z.number(),
  windowEnd: z.number(),
});
type TensorgradeRun = z.infer<typeof tensorgradeRunSchema>;

const parametersSchema = z.object({ total: z.number().int(), trainable: z.number().int() });
type Parameters = z.infer<typeof parametersSchema>;

/** The one JSON line torch_simple_cnn.py prints for a measured run. */
const torchRunSchema = z.object({
  imagesPerSecond: z.number(),
  imagesPerCpuSecond: z.number(),
  minorFaultsPerStep: z.number(),
  majorFaultsPerStep: z.number(),
  torchThreads: z.number().int(),
  osThreads: z.number().int().nullable(),
  threadPools: z.array(z.object({
    internal_api: z.string(), num_threads: z.number().int(), architecture: z.string().optional(),
    threading_layer: z.string().optional(),
  })).nullable(),
  allocator: z.enum(["glibc", "jemalloc"]),
  mkldnn: z.boolean(),
  layout: z.enum(["channels_last", "contiguous"]),
  parameters: parametersSchema,
  losses: z.array(z.number()),
  env: z.record(z.string()),
  torch: z.string(),
  windowStart: z.number(),
  windowEnd: z.number(),
});
type TorchRun = z.infer<typeof torchRunSchema>;
const torchCountSchema = z.object({ parameters: parametersSchema });

/** Either side's run, with the one-minute load average just before it started. */
interface Measured<T> {
  run: T;
  load: number;
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** This process's OS threads (V8, libuv and the like; the WebAssembly kernels themselves run on the main thread). */
function ownThreads(): number | null {
  const line = readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith("Threads:"));
  return line ? Number(line.split(/\s+/)[1]) : null;
}

// A weight's shape has no unknown dimension; `?? 0` only satisfies the type.
const sizeOf = (vars: { shape: (number | null)[] }[]): number => vars.reduce((n, v) => n + v.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
const modelParameters = (model: LayersModel): Parameters => ({ total: model.countParams(), trainable: sizeOf(model.trainableWeights) });

/** One Tensorgrade measurement over `steps` batches after `warmup` batches, through the grader's `trainModel`. */
async function tensorgrade(tf: Tf, c: Case, o: Options): Promise<TensorgradeRun> {
  const classes = caseClasses(c);
  const data = syntheticDataset(c, o, classes);
  const rng = new SeededRandom(SEED);
  const model = buildCaseModel(tf, c, rng);
  const marks: { wall: number; cpu: number; minor: number; major: number }[] = [];
  let threads = 0;
  try {
    await trainModel({
      tf, model, data, rng,
      trainIndices: Int32Array.from({ length: data.count }, (_, i) => i),
      valIndices: new Int32Array(0),
      training: parseSpec({ kind: "cnn", layers: c.layers, training: { epochs: 1, batchSize: c.batchSize } }).training,
      phases: [{ name: c.frozen ? "head" : "train", epochs: 1, learningRate: c.learningRate }],
      classWeights: new Array<number>(classes).fill(1),
      deadline: Number.POSITIVE_INFINITY,
      onProgress: (p) => {
        if (p.phase !== "training" || p.batch === 0) return;
        if (o.barrier && marks.length === o.warmup - 1) awaitBarrier(o.barrier);
        const usage = process.resourceUsage();
        marks.push({ wall: performance.timeOrigin + performance.now(), cpu: cpuSeconds(), minor: usage.minorPageFault, major: usage.majorPageFault });
        threads = Math.max(threads, ownThreads() ?? 0);
      },
    });
  } finally {
    model.dispose();
  }
  const from = marks[o.warmup - 1]!;
  const to = marks[o.warmup + o.steps - 1]!;
  const images = o.steps * c.batchSize;
  return {
    imagesPerSecond: images / ((to.wall - from.wall) / 1000), imagesPerCpuSecond: images / (to.cpu - from.cpu),
    minorFaultsPerStep: (to.minor - from.minor) / o.steps, majorFaultsPerStep: (to.major - from.major) / o.steps,
    osThreads: threads || null, windowStart: from.wall, windowEnd: to.wall,
  };
}

interface TorchJob {
  c: Case;
  o: Options;
  threads: number;
  layout: Layout;
  env: TorchEnv;
  countOnly?: boolean;
}

/** Runs torch_simple_cnn.py once; its last stdout line, or why torch is not there. */
function runTorchScript(python: string, j: TorchJob): Promise<{ line: string } | { skipped: string }> {
  const job = {
    layers: j.c.layers, frozen: j.c.frozen, inputShape: INPUT_SHAPE, batchSize: j.c.batchSize, learningRate: j.c.learningRate,
    images: (j.o.warmup + j.o.steps) * j.c.batchSize, warmupSteps: j.o.warmup, steps: j.o.steps, threads: j.threads,
    seed: SEED, layout: j.layout, countOnly: j.countOnly ?? false, barrier: j.o.barrier ?? null,
  };
  return new Promise((resolve, reject) => {
    // The child's environment is this one plus the fair-process variables (bench/queue.ts passes its workers the same way).
    const child = spawn(python, [TORCH_SCRIPT], {
      stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...torchChildEnv(j.env, j.threads) },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => resolve({ skipped: `${python} cannot be started (${e.message})` }));
    child.on("close", (code) => {
      if (code === NO_TORCH_EXIT) return resolve({ skipped: `${python} has no torch module` });
      if (code !== 0) return reject(new Error(`torch benchmark exited with ${code}: ${err.trim()}`));
      resolve({ line: out.trim().split("\n").at(-1)! });
    });
    child.stdin.end(JSON.stringify(job));
  });
}

class SkipTorch extends Error {}

/** One PyTorch measurement in a child python process; throws SkipTorch when this python has no torch. */
async function torch(python: string, j: TorchJob): Promise<TorchRun> {
  const r = await runTorchScript(python, j);
  if ("skipped" in r) throw new SkipTorch(r.skipped);
  return torchRunSchema.parse(JSON.parse(r.line));
}

/**
 * Both frameworks must train the same number of weights, or the comparison is of two different networks: checked
 * from PyTorch's model before anything is measured, and again on every run.
 */
function checkParameters(c: Case, tg: Parameters, pt: Parameters): void {
  if (tg.total !== pt.total || tg.trainable !== pt.trainable) {
    throw new Error(`${c.name}: the two models differ — Tensorgrade has ${tg.total} parameters (${tg.trainable} trainable), ` +
      `PyTorch ${pt.total} (${pt.trainable} trainable); the benchmark would compare different networks`);
  }
}

/**
 * `count` runs in processes started at once, their measured steps released together by a barrier once every one has
 * warmed up; resolves with all their results.
 */
async function atOnce<T>(count: number, start: (barrier: string) => Promise<T>): Promise<T[]> {
  const barrier = mkdtempSync(path.join(os.tmpdir(), "tg-bench-barrier-"));
  try {
    const runs = Array.from({ length: count }, () => start(barrier));
    let failed: unknown;
    runs.forEach((r) => r.catch((e: unknown) => (failed ??= e)));
    const until = Date.now() + BARRIER_TIMEOUT_MS;
    while (readdirSync(barrier).filter((f) => f.startsWith("ready-")).length < count) {
      if (failed !== undefined) break;
      if (Date.now() > until) throw new Error(`only some of ${count} runs reached the barrier in ${BARRIER_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    writeFileSync(path.join(barrier, "go"), "");
    return await Promise.all(runs);
  } finally {
    rmSync(barrier, { recursive: true, force: true });
  }
}

/** The share of the runs' overall span during which all of them were measuring (1 = perfectly simultaneous). */
function overlap(runs: { windowStart: number; windowEnd: number }[]): number {
  const common = Math.min(...runs.map((r) => r.windowEnd)) - Math.max(...runs.map((r) => r.windowStart));
  const span = Math.max(...runs.map((r) => r.windowEnd)) - Math.min(...runs.map((r) => r.windowStart));
  return Math.max(0, common) / span;
}

/** One Tensorgrade worker: a child process of this script measuring one case with its own backend. */
function tensorgradeWorker(c: Case, o: Options): Promise<TensorgradeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, "--worker", c.name,
      "--steps", String(o.steps), "--warmup", String(o.warmup), ...(o.barrier ? ["--barrier", o.barrier] : [])], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => {
      const line = out.trim().split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) return reject(new Error(`worker exited with ${code}`));
      resolve(tensorgradeRunSchema.parse(JSON.parse(line)));
    });
  });
}

// ---- statistics and printing ----

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const n0 = (x: number): string => Math.round(x).toLocaleString("en-US");
const pad = (s: string, w: number): string => s.padStart(w);
const x2 = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
const range = (xs: number[], digits = 1): string => {
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};

interface Figure {
  median: number;
  best: number;
}
const figure = (xs: number[]): Figure => ({ median: median(xs), best: Math.max(...xs) });

function tgLine(label: string, m: Measured<TensorgradeRun>): string {
  const r = m.run;
  return `  ${label.padEnd(26)} ${pad(n0(r.imagesPerSecond), 6)} img/s ${pad(n0(r.imagesPerCpuSecond), 6)} per CPU-s` +
    `   faults/step ${n0(r.minorFaultsPerStep)} minor, ${n0(r.majorFaultsPerStep)} major; ${threadCount(r.osThreads)}   load ${m.load.toFixed(2)}`;
}

const threadCount = (n: number | null): string => (n === null ? "? OS threads" : `${n} OS thread${n === 1 ? "" : "s"}`);
const pools = (r: TorchRun): string => r.threadPools === null ? "threadpoolctl not installed" :
  r.threadPools.map((p) => `${p.internal_api} ${p.num_threads}${p.architecture ? ` (${p.architecture})` : ""}`).join(", ");

function ptLine(label: string, m: Measured<TorchRun>): string {
  const r = m.run;
  return `  ${label.padEnd(26)} ${pad(n0(r.imagesPerSecond), 6)} img/s ${pad(n0(r.imagesPerCpuSecond), 6)} per CPU-s` +
    `   faults/step ${n0(r.minorFaultsPerStep)} minor, ${n0(r.majorFaultsPerStep)} major; ${threadCount(r.osThreads)} ` +
    `(torch ${r.torchThreads}; ${pools(r)})   load ${m.load.toFixed(2)}`;
}

/** The conditions of a set of PyTorch runs, in one phrase for the summary and the markdown table. */
function torchConditions(runs: Measured<TorchRun>[]): string {
  const rs = runs.map((m) => m.run);
  const threads = [...new Set(rs.map((r) => r.osThreads ?? -1))].map((t) => (t < 0 ? "?" : String(t))).join("/");
  return `load ${range(runs.map((m) => m.load), 2)}; ${threads} OS thread${threads === "1" ? "" : "s"}; ` +
    `faults/step ${range(rs.map((r) => r.minorFaultsPerStep), 0)} minor, ${range(rs.map((r) => r.majorFaultsPerStep), 0)} major; ` +
    `${rs[0]!.allocator}`;
}

function tgConditions(runs: Measured<TensorgradeRun>[]): string {
  return `load ${range(runs.map((m) => m.load), 2)}; faults/step ${range(runs.map((m) => m.run.minorFaultsPerStep), 0)} minor`;
}

/** OpenBLAS kernels that predate AVX2; OPENBLAS_CORETYPE can force one on a CPU that has better. */
const PRE_AVX2_KERNELS = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Sandybridge", "Atom", "Barcelona",
  "Bobcat", "Bulldozer", "Piledriver", "Steamroller", "Opteron", "Athlon"];

/**
 * The inherited OpenBLAS variables are passed to the child as they are; this says so loudly when threadpoolctl shows
 * that they made OpenBLAS pick a kernel older than the CPU's AVX2.
 */
function slowKernelWarning(r: TorchRun): string | undefined {
  const arch = r.threadPools?.find((p) => p.internal_api === "openblas")?.architecture;
  const cpuHasAvx2 = /^flags\s*:.*\bavx2\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
  if (!arch || !cpuHasAvx2 || !PRE_AVX2_KERNELS.some((k) => arch.toLowerCase().startsWith(k.toLowerCase()))) return undefined;
  return `OpenBLAS runs its ${arch} kernel on a CPU with AVX2 (OPENBLAS_CORETYPE=${r.env.OPENBLAS_CORETYPE ?? "(unset)"}): ` +
    "its dense-layer figures may be lower than this CPU allows (unset it to compare)";
}

interface TableRow {
  caseTitle: string;
  measure: string;
  tg: Figure;
  pt: Figure;
  tgWhen: string;
  ptWhen: string;
}

const tableRows: TableRow[] = [];
const SHORT_TITLE: Record<Case["name"], string> = { simple: "simple CNN", transfer: "transfer, phase one (frozen base)" };

/**
 * Median and best of both sides, and the ratio of the medians (and of the best runs: each side's closest to idle).
 * The markdown table takes both measures for the PyTorch that counts, and only the steadier per-CPU-second one for the
 * slower layout (`tableCpuOnly`).
 */
function summarize(caseTitle: string, tgRuns: Measured<TensorgradeRun>[], ptRuns: Measured<TorchRun>[], ptLabel: string,
  tableCpuOnly = false): void {
  for (const [measure, key] of [["wall clock", "imagesPerSecond"], ["per CPU-second", "imagesPerCpuSecond"]] as const) {
    const tg = figure(tgRuns.map((m) => m.run[key]));
    const pt = figure(ptRuns.map((m) => m.run[key]));
    console.log(`  ${measure.padEnd(15)} tensorgrade median ${pad(n0(tg.median), 6)} (best ${pad(n0(tg.best), 6)})   ` +
      `${ptLabel} median ${pad(n0(pt.median), 6)} (best ${pad(n0(pt.best), 6)})   ratio ${x2(tg.median, pt.median)} (best vs best ${x2(tg.best, pt.best)})`);
    if (tableCpuOnly && key === "imagesPerSecond") continue;
    tableRows.push({ caseTitle, measure: tableCpuOnly ? `${measure}, against the slower layout` : measure, tg, pt, tgWhen: tgConditions(tgRuns), ptWhen: `${ptLabel}; ${torchConditions(ptRuns)}` });
  }
}

/**
 * Phase one of transfer.yaml as the grader runs it (bench/transfer-phase-one.ts) against PyTorch running the same
 * phase the naive way — the frozen base forward at every step, as in the transfer case measured above. Tensorgrade's
 * figure is the phase's training images (epochs × training images) over the whole phase's time: feature extraction or
 * reading, every batch, the validation pass after each epoch. PyTorch's is its steady-state step rate with no
 * validation and no flip, which only flatters it. Runs: once without the feature cache (the naive way on our side, and
 * the same-seed check), once with an empty feature cache (the first transfer job on a machine computes and stores the
 * features), then `rounds` times with it filled (every later job).
 */
async function phaseOneComparison(tf: Tf, backend: string, rounds: number, pt: Measured<TorchRun>[], ptLabel: string): Promise<void> {
  console.log("\nphase one of specs/transfer.yaml as graded (4 epochs, horizontal flip, 10% validation; 3,000 generated images), " +
    "Tensorgrade with the frozen-base feature cache against PyTorch running the base every step");
  const dir = mkdtempSync(path.join(os.tmpdir(), "tg-bench-features-"));
  const line = (label: string, m: Measured<PhaseOneRun>): string => {
    const r = m.run;
    const l = r.last;
    return `  ${label.padEnd(34)} ${pad(n0(r.imagesTrained / r.seconds), 6)} img/s ${pad(n0(r.imagesTrained / r.cpuSeconds), 6)} per CPU-s ` +
      `(${r.seconds.toFixed(2)} s, ${r.cpuSeconds.toFixed(2)} CPU-s; features ${r.cached ? `${r.readVariants}/${r.variants} variants read, ${r.extractSeconds.toFixed(2)} s` : "not cached"})   ` +
      `last epoch loss ${l.loss.toFixed(6)} acc ${l.acc.toFixed(4)} val loss ${l.valLoss?.toFixed(6)} val acc ${l.valAcc?.toFixed(4)}   load ${m.load.toFixed(2)}`;
  };
  const measure = async (cache: false | { dataDir: string }): Promise<Measured<PhaseOneRun>> => {
    const load = os.loadavg()[0]!;
    return { run: await runPhaseOne(tf, backend, cache), load };
  };
  try {
    const naive = await measure(false);
    console.log(line("tensorgrade, base every step", naive));
    const cold = await measure({ dataDir: dir });
    if (!cold.run.cached) throw new Error(`the feature cache was refused: ${cold.run.refused}`);
    console.log(line("tensorgrade, first job (computes)", cold));
    const warm: Measured<PhaseOneRun>[] = [];
    for (let r = 0; r < rounds; r++) {
      warm.push(await measure({ dataDir: dir }));
      console.log(line(`tensorgrade, later job ${r + 1} (reads)`, warm.at(-1)!));
    }
    const same = [cold, ...warm].every((m) => m.run.last.valAcc === naive.run.last.valAcc && Math.abs(m.run.last.loss - naive.run.last.loss) < 1e-5);
    console.log(`  same seed, cached and uncached: ${same ? "the same last-epoch figures (loss within 1e-5, equal validation accuracy)" : "DIFFERENT last-epoch figures"}`);
    if (pt.length === 0) return;
    for (const [measureName, tgOf, ptKey] of [
      ["wall clock", (r: PhaseOneRun) => r.imagesTrained / r.seconds, "imagesPerSecond"],
      ["per CPU-second", (r: PhaseOneRun) => r.imagesTrained / r.cpuSeconds, "imagesPerCpuSecond"],
    ] as const) {
      const p = figure(pt.map((m) => m.run[ptKey]));
      const w = figure(warm.map((m) => tgOf(m.run)));
      console.log(`  ${measureName.padEnd(15)} later jobs median ${pad(n0(w.median), 6)} (best ${pad(n0(w.best), 6)}), first job ${pad(n0(tgOf(cold.run)), 6)}, ` +
        `base every step ${pad(n0(tgOf(naive.run)), 6)}   ${ptLabel}, base every step, median ${pad(n0(p.median), 6)}   ` +
        `ratio later jobs ${x2(w.median, p.median)}, first job ${x2(tgOf(cold.run), p.median)}, uncached ${x2(tgOf(naive.run), p.median)}`);
      const conditions = `load ${range([naive, cold, ...warm].map((m) => m.load), 2)}; whole phase incl. validation`;
      tableRows.push({ caseTitle: "transfer phase one as graded, later jobs (features read)", measure: measureName, tg: w, pt: p, tgWhen: conditions, ptWhen: `${ptLabel}, base every step; ${torchConditions(pt)}` });
      tableRows.push({ caseTitle: "transfer phase one as graded, first job (features computed)", measure: measureName, tg: figure([tgOf(cold.run)]), pt: p, tgWhen: conditions, ptWhen: `${ptLabel}, base every step; ${torchConditions(pt)}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string" }, steps: { type: "string" }, warmup: { type: "string" },
      case: { type: "string", default: "all" }, python: { type: "string", default: "/usr/bin/python3" },
      "torch-env": { type: "string", default: "fair" }, machine: { type: "boolean", default: false },
      quick: { type: "boolean", default: false }, "torch-steps": { type: "string" }, "machine-rounds": { type: "string" }, worker: { type: "string" }, barrier: { type: "string" },
    },
  });
  // --quick: a check that the script works, not a measurement (2 rounds of 5 steps).
  const o: Options = {
    steps: Number(values.steps ?? (values.quick ? 5 : 20)), warmup: Number(values.warmup ?? (values.quick ? 2 : 3)),
    ...(values.barrier ? { barrier: values.barrier } : {}),
  };
  const rounds = Number(values.rounds ?? (values.quick ? 2 : 5));
  // PyTorch is several times faster: more steps give its runs a measured window of seconds, as Tensorgrade's are,
  // instead of a fraction of one that a single scheduler hiccup would distort.
  // The machine view costs every core per round: fewer rounds by default keep a full run within a few CPU-minutes.
  const machineRounds = Number(values["machine-rounds"] ?? Math.min(rounds, 3));
  if (!(machineRounds >= 1)) throw new Error("--machine-rounds must be at least 1");
  const ot: Options = { ...o, steps: Number(values["torch-steps"] ?? o.steps * 10) };
  if (!(ot.steps >= 1)) throw new Error("--torch-steps must be at least 1");
  if (!(o.steps >= 1 && o.warmup >= 1 && rounds >= 1)) throw new Error("--steps, --warmup and --rounds must be at least 1");
  const torchEnv = TORCH_ENVS.find((e) => e === values["torch-env"]);
  if (!torchEnv) throw new Error(`--torch-env must be one of ${TORCH_ENVS.join(", ")} (got ${values["torch-env"]})`);
  const cases = loadTrainCases().filter((x) => values.case === "all" || x.name === values.case);
  if (cases.length === 0) throw new Error(`--case must be simple, transfer or all (got ${values.case})`);
  if (values.worker) {
    // A child of --machine: the loader's log lines would corrupt the one JSON line the parent reads.
    console.info = () => {};
    const { tf } = await loadTf();
    process.stdout.write(`${JSON.stringify(await tensorgrade(tf, cases.find((x) => x.name === values.worker)!, o))}\n`);
    return;
  }
  const { tf, backend } = await loadTf();
  const cores = os.availableParallelism();
  const python = values.python;
  const childVars = Object.entries(torchChildEnv(torchEnv, 1)).map(([k, v]) => `${k}=${v}`).join(" ");
  console.log(`Tensorgrade on ${backend} (${backend === "wasm" ? "1 thread" : "native threads"}, Node ${process.version}) vs PyTorch ` +
    `(${python}, torch.set_num_threads(1), --torch-env ${torchEnv}: ${childVars || "no variables added"})`);
  console.log(`${os.cpus()[0]?.model ?? "unknown CPU"}, ${cores} cores; ${o.warmup} warmup + ${o.steps} measured steps per Tensorgrade run, ${ot.steps} per PyTorch run, ` +
    `${plural(rounds, "round")}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  let torchMissing: string | undefined;
  let torchInfo: string | undefined;
  for (const c of cases) {
    console.log(`\n${c.title}: batch ${c.batchSize}, Adam lr ${c.learningRate}`);
    const model = buildCaseModel(tf, c, new SeededRandom(SEED));
    const tgParams = modelParameters(model);
    model.dispose();
    if (torchMissing === undefined) {
      const count = await runTorchScript(python, { c, o, threads: 1, layout: "contiguous", env: torchEnv, countOnly: true });
      if ("skipped" in count) torchMissing = count.skipped;
      else checkParameters(c, tgParams, torchCountSchema.parse(JSON.parse(count.line)).parameters);
    }
    console.log(`  parameters: ${n0(tgParams.total)} (${n0(tgParams.trainable)} trainable)` +
      (torchMissing === undefined ? ", the same in both frameworks" : ""));
    const tgRuns: Measured<TensorgradeRun>[] = [];
    const ptRuns: Record<Layout, Measured<TorchRun>[]> = { channels_last: [], contiguous: [] };
    for (let r = 0; r < rounds; r++) {
      console.log(` round ${r + 1}`);
      const load = os.loadavg()[0]!;
      tgRuns.push({ run: await tensorgrade(tf, c, o), load });
      console.log(tgLine("tensorgrade", tgRuns.at(-1)!));
      if (torchMissing !== undefined) continue;
      // Alternate which layout goes first, so neither always follows the Tensorgrade run.
      for (const layout of r % 2 === 0 ? LAYOUTS : [...LAYOUTS].reverse()) {
        const loadBefore = os.loadavg()[0]!;
        try {
          const run = await torch(python, { c, o: ot, threads: 1, layout, env: torchEnv });
          checkParameters(c, tgParams, run.parameters);
          ptRuns[layout].push({ run, load: loadBefore });
          console.log(ptLine(`pytorch ${LAYOUT_NAME[layout]}`, ptRuns[layout].at(-1)!));
        } catch (e) {
          if (!(e instanceof SkipTorch)) throw e;
          torchMissing = e.message;
          break;
        }
      }
      if (ptRuns.contiguous.length === r + 1 && ptRuns.channels_last.length === r + 1) {
        const tg = tgRuns.at(-1)!.run;
        console.log(`  ratio tensorgrade/pytorch    ${LAYOUTS.map((l) => {
          const pt = ptRuns[l].at(-1)!.run;
          return `${x2(tg.imagesPerSecond, pt.imagesPerSecond)} wall, ${x2(tg.imagesPerCpuSecond, pt.imagesPerCpuSecond)} CPU (${LAYOUT_NAME[l]})`;
        }).join("; ")}`);
      }
    }
    console.log(` summary of ${plural(rounds, "round")}`);
    if (torchMissing !== undefined || ptRuns.channels_last.length === 0) {
      const tg = figure(tgRuns.map((m) => m.run.imagesPerCpuSecond));
      console.log(`  tensorgrade median ${n0(tg.median)} per CPU-s (best ${n0(tg.best)}); PyTorch half skipped: ${torchMissing} ` +
        "(install Debian's python3-torch, or pass --python)");
      if (c.name === "transfer") await phaseOneComparison(tf, backend, rounds, [], "PyTorch");
      continue;
    }
    const medianCpu = (l: Layout): number => median(ptRuns[l].map((m) => m.run.imagesPerCpuSecond));
    const faster: Layout = medianCpu("channels_last") >= medianCpu("contiguous") ? "channels_last" : "contiguous";
    const other: Layout = faster === "channels_last" ? "contiguous" : "channels_last";
    // Same seed, same data: the two layouts must train the same network, which their losses show.
    // (Summation order differs between the layouts, so the gap grows over the steps as rounding differences compound.)
    const gaps = ptRuns.channels_last.map((m, i) =>
      m.run.losses.map((l, k) => Math.abs(l - (ptRuns.contiguous[i]?.run.losses[k] ?? l))));
    const firstGap = Math.max(...gaps.map((g) => g[0] ?? 0));
    const lossGap = Math.max(...gaps.flat());
    console.log(`  PyTorch layouts: ${LAYOUT_NAME[faster]} is faster (median ${n0(medianCpu(faster))} per CPU-s against ` +
      `${n0(medianCpu(other))}; their losses agree to ${firstGap.toExponential(1)} at the first measured step, ` +
      `${lossGap.toExponential(1)} at worst over ${ot.steps}); "pytorch" below is ${LAYOUT_NAME[faster]}`);
    const first = ptRuns[faster][0]!.run;
    console.log(`  PyTorch process: torch ${first.torch}, oneDNN ${first.mkldnn ? "on" : "off"}, ${first.allocator} malloc, ` +
      `pools ${pools(first)}; variables ${Object.entries(first.env).map(([k, v]) => `${k}=${v}`).join(" ") || "none"}` +
      `; inherited OPENBLAS_CORETYPE=${first.env.OPENBLAS_CORETYPE ?? "(unset)"} OPENBLAS_L2_SIZE=${first.env.OPENBLAS_L2_SIZE ?? "(unset)"}`);
    const warning = slowKernelWarning(first);
    if (warning) console.log(`  WARNING: ${warning}`);
    torchInfo ??= `torch ${first.torch}, ${first.allocator} malloc, pools ${pools(first)}`;
    summarize(SHORT_TITLE[c.name], tgRuns, ptRuns[faster], `PyTorch ${LAYOUT_NAME[faster]}`);
    summarize(SHORT_TITLE[c.name], tgRuns, ptRuns[other], `PyTorch ${LAYOUT_NAME[other]}`, true);
    if (c.name === "transfer") await phaseOneComparison(tf, backend, rounds, ptRuns[faster], `PyTorch ${LAYOUT_NAME[faster]}`);

    if (values.machine) {
      console.log(` machine: ${cores} Tensorgrade workers at once, against ${cores} single-threaded PyTorch processes ` +
        `at once (${LAYOUT_NAME[faster]}) and against one PyTorch process on ${cores} threads; summed img/s of wall clock, ` +
        `${plural(machineRounds, "round")}`);
      const tgM: Measured<number>[] = [];
      const ptM: Measured<TorchRun[]>[] = [];
      const ptT: Measured<TorchRun>[] = [];
      for (let r = 0; r < machineRounds; r++) {
        const loads = [os.loadavg()[0]!];
        const tg = await atOnce(cores, (barrier) => tensorgradeWorker(c, { ...o, barrier }));
        loads.push(os.loadavg()[0]!);
        const pt = await atOnce(cores, (barrier) => torch(python, { c, o: { ...ot, barrier }, threads: 1, layout: faster, env: torchEnv }));
        loads.push(os.loadavg()[0]!);
        const threaded = await torch(python, { c, o: ot, threads: cores, layout: faster, env: torchEnv });
        for (const run of [...pt, threaded]) checkParameters(c, tgParams, run.parameters);
        tgM.push({ run: tg.reduce((a, b) => a + b.imagesPerSecond, 0), load: loads[0]! });
        ptM.push({ run: pt, load: loads[1]! });
        ptT.push({ run: threaded, load: loads[2]! });
        const sum = (rs: TorchRun[]): number => rs.reduce((a, b) => a + b.imagesPerSecond, 0);
        const together = (rs: { windowStart: number; windowEnd: number }[]): string => `${Math.round(overlap(rs) * 100)}% overlap`;
        console.log(`  round ${r + 1}: tensorgrade ${cores} workers ${n0(tgM.at(-1)!.run)} img/s (load ${loads[0]!.toFixed(2)}; ${together(tg)})   ` +
          `pytorch ${cores}×1 thread ${n0(sum(pt))} img/s (load ${loads[1]!.toFixed(2)}; ${together(pt)}; faults/step ${pt.map((p) => n0(p.minorFaultsPerStep)).join(", ")}; ` +
          `OS threads ${pt.map((p) => p.osThreads ?? "?").join(", ")})   ` +
          `pytorch 1×${cores} threads ${n0(threaded.imagesPerSecond)} img/s (load ${loads[2]!.toFixed(2)}; faults/step ${n0(threaded.minorFaultsPerStep)}; ` +
          `${threadCount(threaded.osThreads)}, ${pools(threaded)})`);
      }
      const tg = figure(tgM.map((m) => m.run));
      const procs = figure(ptM.map((m) => m.run.reduce((a, b) => a + b.imagesPerSecond, 0)));
      const threads = figure(ptT.map((m) => m.run.imagesPerSecond));
      console.log(`  machine median: tensorgrade ${n0(tg.median)} (best ${n0(tg.best)})   pytorch ${cores}×1 ${n0(procs.median)} ` +
        `(best ${n0(procs.best)}) ratio ${x2(tg.median, procs.median)}   pytorch 1×${cores} ${n0(threads.median)} (best ${n0(threads.best)}) ` +
        `ratio ${x2(tg.median, threads.median)}`);
      const tgWhen = `${cores} workers at once; load ${range(tgM.map((m) => m.load), 2)}`;
      tableRows.push({
        caseTitle: SHORT_TITLE[c.name], measure: `machine: ${cores} processes × 1 thread each side`, tg, pt: procs, tgWhen,
        ptWhen: `${cores} processes, ${LAYOUT_NAME[faster]}; ${torchConditions(ptM.flatMap((m) => m.run.map((run) => ({ run, load: m.load }))))}`,
      });
      tableRows.push({
        caseTitle: SHORT_TITLE[c.name], measure: `machine: ${cores} Tensorgrade workers vs 1 PyTorch on ${cores} threads`, tg, pt: threads, tgWhen,
        ptWhen: `1 process on ${cores} threads, ${LAYOUT_NAME[faster]}; ${torchConditions(ptT)}`,
      });
    }
  }
  if (tableRows.length === 0) return;
  console.log(`\nMarkdown summary (images per second; median of ${plural(rounds, "round")}` +
    `${values.machine ? ` (machine rows ${machineRounds})` : ""}, best run in brackets; ` +
    `${o.steps} measured steps per Tensorgrade run, ${ot.steps} per PyTorch run; ${os.cpus()[0]?.model ?? "unknown CPU"}, ${cores} cores, Node ${process.version}, ${torchInfo ?? "no PyTorch"}):\n`);
  console.log("| case | measure | Tensorgrade | PyTorch | ratio | Tensorgrade conditions | PyTorch conditions |");
  console.log("|---|---|---:|---:|---:|---|---|");
  for (const t of tableRows) {
    console.log(`| ${t.caseTitle} | ${t.measure} | ${n0(t.tg.median)} (${n0(t.tg.best)}) | ${n0(t.pt.median)} (${n0(t.pt.best)}) | ` +
      `${x2(t.tg.median, t.pt.median)} | ${t.tgWhen} | ${t.ptWhen} |`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
