/**
 * `npm run bench:train:torch` — Tensorgrade's training throughput on the WebAssembly backend against PyTorch's on the
 * CPU, the same network, batch size, optimizer and thread count, measured in one invocation, back to back.
 *
 *   npm run bench:train:torch -- [--repeats 3] [--steps 20] [--warmup 3] [--case simple|transfer|all]
 *                                [--python /usr/bin/python3] [--machine]
 *
 * Cases (bench/train-cases.ts): `simple`, the reference spec simple-cnn.yaml, and `transfer`, phase one of
 * transfer.yaml (its head on the registered base, frozen, so the base runs forward only); PyTorch builds the same
 * layers from the same spec layer list. Both sides read uint8 images and scale them to 0..1 per batch; no augmentation.
 * The Tensorgrade half runs the grader's own `trainModel` (batching, Adam step, per-batch loss/accuracy readback).
 *
 * Threads: the WebAssembly backend runs XNNPACK without a thread pool in Node, so it is one thread; PyTorch gets
 * `torch.set_num_threads(1)`. `--machine` adds the grading machine's view: one Tensorgrade worker per core running at
 * once (summed images/s) against one PyTorch process using every core.
 * Each run prints images/s of wall-clock time and per CPU-second of the measuring process (steadier when other work
 * shares the machine); then the median of the runs and each side's best run.
 * The PyTorch half is skipped, with a message, when the python has no torch (e.g. on CI).
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ImageDataset } from "@/grader/data/image-dataset";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { SeededRandom } from "@/grader/random";
import { parseSpec } from "@/grader/spec/schema";
import { trainModel } from "@/grader/train/train-model";
import { buildCaseModel, caseClasses, INPUT_SHAPE, loadTrainCases, SEED, type TrainCase as Case } from "./train-cases";

const TORCH_SCRIPT = path.join(import.meta.dirname, "torch_simple_cnn.py");
/** torch_simple_cnn.py exits with this when `import torch` fails. */
const NO_TORCH_EXIT = 3;

interface Options {
  steps: number;
  warmup: number;
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

/** Images per second of wall-clock time, and per second of this process's CPU time (robust to other processes). */
interface Throughput {
  imagesPerSecond: number;
  imagesPerCpuSecond: number;
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** One Tensorgrade measurement over `steps` batches after `warmup` batches, through the grader's `trainModel`. */
async function tensorgrade(tf: Tf, c: Case, o: Options): Promise<Throughput> {
  const classes = caseClasses(c);
  const data = syntheticDataset(c, o, classes);
  const rng = new SeededRandom(SEED);
  const model = buildCaseModel(tf, c, rng);
  const marks: { wall: number; cpu: number }[] = [];
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
        if (p.phase === "training" && p.batch > 0) marks.push({ wall: performance.now(), cpu: cpuSeconds() });
      },
    });
  } finally {
    model.dispose();
  }
  const from = marks[o.warmup - 1]!;
  const to = marks[o.warmup + o.steps - 1]!;
  const images = o.steps * c.batchSize;
  return { imagesPerSecond: images / ((to.wall - from.wall) / 1000), imagesPerCpuSecond: images / (to.cpu - from.cpu) };
}

type TorchResult = (Throughput & { threads: number; torch: string }) | { skipped: string };

/** One PyTorch measurement in a child python process. */
function torch(python: string, c: Case, o: Options, threads: number): Promise<TorchResult> {
  const job = {
    layers: c.layers, frozen: c.frozen, inputShape: INPUT_SHAPE, batchSize: c.batchSize, learningRate: c.learningRate,
    images: (o.warmup + o.steps) * c.batchSize, warmupSteps: o.warmup, steps: o.steps, threads, seed: SEED,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(python, [TORCH_SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => resolve({ skipped: `${python} cannot be started (${e.message})` }));
    child.on("close", (code) => {
      if (code === NO_TORCH_EXIT) return resolve({ skipped: `${python} has no torch module` });
      if (code !== 0) return reject(new Error(`torch benchmark exited with ${code}: ${err.trim()}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!) as TorchResult);
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/** `cores` Tensorgrade workers at once, each a child process of this script measuring one case: summed images/s. */
async function tensorgradeMachine(c: Case, o: Options, cores: number): Promise<number> {
  const runs = Array.from({ length: cores }, () => new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, "--worker", c.name,
      "--steps", String(o.steps), "--warmup", String(o.warmup)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => {
      const line = out.trim().split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) return reject(new Error(`worker exited with ${code}`));
      resolve((JSON.parse(line) as Throughput).imagesPerSecond);
    });
  }));
  return (await Promise.all(runs)).reduce((a, b) => a + b, 0);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number | undefined): string => (x === undefined ? "n/a" : x.toFixed(0)).padStart(5);
const ratio = (a: number, b: number | undefined): string => (b === undefined ? "" : `   ratio ${(a / b).toFixed(2)}x`);

/** Prints one row: wall-clock and CPU-time throughput of both sides. */
function row(label: string, tg: Throughput, pt: Throughput | undefined): void {
  console.log(`  ${label.padEnd(7)} tensorgrade ${fmt(tg.imagesPerSecond)} img/s (${fmt(tg.imagesPerCpuSecond)} per CPU-s)` +
    `   pytorch ${fmt(pt?.imagesPerSecond)} img/s (${fmt(pt?.imagesPerCpuSecond)} per CPU-s)` +
    (pt ? `${ratio(tg.imagesPerSecond, pt.imagesPerSecond)} wall, ${(tg.imagesPerCpuSecond / pt.imagesPerCpuSecond).toFixed(2)}x CPU` : ""));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: "string", default: "3" }, steps: { type: "string", default: "20" },
      warmup: { type: "string", default: "3" }, case: { type: "string", default: "all" },
      python: { type: "string", default: "/usr/bin/python3" }, machine: { type: "boolean", default: false },
      worker: { type: "string" },
    },
  });
  const o: Options = { steps: Number(values.steps), warmup: Number(values.warmup) };
  const repeats = Number(values.repeats);
  if (!(o.steps >= 1 && o.warmup >= 1 && repeats >= 1)) throw new Error("--steps, --warmup and --repeats must be at least 1");
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
  console.log(`Tensorgrade on ${backend} (${backend === "wasm" ? "1 thread" : "native threads"}) vs PyTorch (${values.python}, torch.set_num_threads(1)); ` +
    `${o.warmup} warmup + ${o.steps} measured steps, ${repeats} repeats; load average ${os.loadavg()[0]!.toFixed(1)} on ${cores} cores`);
  for (const c of cases) {
    console.log(`\n${c.title}: batch ${c.batchSize}, Adam lr ${c.learningRate}`);
    const tg: Throughput[] = [];
    const pt: Throughput[] = [];
    let skipped: string | undefined;
    for (let r = 0; r < repeats; r++) {
      tg.push(await tensorgrade(tf, c, o));
      const t = await torch(values.python, c, o, 1);
      if ("skipped" in t) skipped = t.skipped;
      else pt.push(t);
      row(`run ${r + 1}`, tg.at(-1)!, "skipped" in t ? undefined : t);
    }
    const med = (xs: Throughput[]): Throughput | undefined => xs.length === 0 ? undefined : {
      imagesPerSecond: median(xs.map((x) => x.imagesPerSecond)), imagesPerCpuSecond: median(xs.map((x) => x.imagesPerCpuSecond)),
    };
    row("median", med(tg)!, med(pt));
    // Other processes only ever slow a run down, so each side's best run is its closest to an idle machine.
    const best = (xs: Throughput[]): Throughput | undefined => xs.length === 0 ? undefined : {
      imagesPerSecond: Math.max(...xs.map((x) => x.imagesPerSecond)), imagesPerCpuSecond: Math.max(...xs.map((x) => x.imagesPerCpuSecond)),
    };
    row("best", best(tg)!, best(pt));
    if (skipped) console.log(`  PyTorch half skipped: ${skipped} (install Debian's python3-torch, or pass --python)`);
    if (values.machine) {
      const machine = await tensorgradeMachine(c, o, cores);
      const t = await torch(values.python, c, o, cores);
      const torchIps = "skipped" in t ? undefined : t.imagesPerSecond;
      console.log(`  machine: ${cores} tensorgrade workers at once ${fmt(machine)} img/s   one pytorch process on ${cores} threads ${fmt(torchIps)} img/s${ratio(machine, torchIps)}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
