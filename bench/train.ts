/**
 * `npm run bench:train` — training throughput on the backend in use.
 *
 *   npm run bench:train -- [--batches 20] [--skip-job]
 *
 * 1. The syllabus's simple CNN (Conv 32 → pool → Conv 64 → pool → Conv 64 → Dense 64 → Dense 10, 32×32×3 input,
 *    batch 64, Adam) trained with the grader's own loop on generated images: images/s after one warm-up epoch.
 *    Also printed per CPU-second of this process, which stays meaningful on a busy shared machine (wasm is one thread).
 * 2. Whole grading jobs as the worker runs them — through createChildGrader, in a grading child process (compiled
 *    JavaScript, kept warm between jobs) — on Assignment 6's offline defaults: the lesson's CNN (simple-cnn.yaml's
 *    layers at 5 epochs) as the first job of a fresh child, the same again in the now-warm child, then transfer.yaml.
 *    Each prints the time from handing the job over to holding the validated report, the training time inside it, and
 *    the overhead: everything else, split into the held-out evaluation (1,000 predictions) and the rest (child
 *    start-up on the first job, TF.js and dataset loading, model building, IPC, the report's validation). The one-minute load average is printed beside each figure: on a shared machine wall-clock
 *    figures move with it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import { loadTf } from "@/grader/backend/load-tf";
import { generateShapes, SHAPE_CATALOGUE } from "@/grader/data/shapes";
import { buildModel } from "@/grader/model/build-model";
import { SeededRandom } from "@/grader/random";
import { analyzeSpec } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";
import { trainModel } from "@/grader/train/train-model";
import { env } from "@/env";
import { createChildGrader } from "@/grader/worker/child-process-grader";

const BATCH = 64;
/** The lesson's CNN as the issue times the student's wait: simple-cnn.yaml's network for 5 epochs. */
const LESSON_EPOCHS = 5;

/** CPU seconds this process used between two readings (user + system). */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

async function simpleCnnThroughput(batches: number): Promise<{ backend: string; imagesPerSecond: number; imagesPerCpuSecond: number }> {
  const { tf, backend, threads } = await loadTf();
  const classes = Object.keys(SHAPE_CATALOGUE);
  const data = generateShapes({ count: BATCH * batches, seed: 1, classes, shape: [32, 32, 3] });
  const spec = parseSpec({
    kind: "cnn",
    layers: [
      { type: "conv2d", filters: 32, kernelSize: 3, activation: "relu" },
      { type: "maxPooling2d", poolSize: 2 },
      { type: "conv2d", filters: 64, kernelSize: 3, activation: "relu" },
      { type: "maxPooling2d", poolSize: 2 },
      { type: "conv2d", filters: 64, kernelSize: 3, activation: "relu" },
      { type: "flatten" },
      { type: "dense", units: 64, activation: "relu" },
      { type: "dense", units: classes.length, activation: "softmax" },
    ],
    training: { optimizer: "adam", epochs: 1, batchSize: BATCH, validationSplit: 0 },
  });
  const { model } = buildModel(tf, spec, analyzeSpec(spec, { inputShape: [32, 32, 3] }), new SeededRandom(1));
  const indices = Int32Array.from({ length: data.count }, (_, i) => i);
  const run = (n: number) => trainModel({
    tf, model, data, trainIndices: indices.subarray(0, n * BATCH), valIndices: new Int32Array(0), training: spec.training,
    phases: [{ name: "train", epochs: 1, learningRate: 0.001 }], classWeights: classes.map(() => 1),
    rng: new SeededRandom(2), deadline: Number.POSITIVE_INFINITY,
  });
  await run(Math.min(3, batches)); // warm-up: kernel setup, first allocations
  const cpu = process.cpuUsage();
  const result = await run(batches);
  const cpuUsed = cpuSeconds(cpu);
  model.dispose();
  return { backend: threads ? `${backend} on ${threads} thread(s)` : backend, imagesPerSecond: result.imagesPerSecond ?? 0, imagesPerCpuSecond: (batches * BATCH) / cpuUsed };
}

const load = (): string => `load ${os.loadavg()[0]!.toFixed(2)}`;

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by this process's live child processes — the grading child — read from
 * /proc, so a job's CPU cost can be shown beside its wall-clock time on a busy machine; null without Linux's /proc.
 */
function childrenCpuSeconds(): number | null {
  if (!existsSync(`/proc/${process.pid}/task`)) return null;
  try {
    const pids = readdirSync(`/proc/${process.pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${process.pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean));
    return pids.reduce((sum, pid) => {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return sum + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    }, 0);
  } catch (e) {
    // A child can exit between listing and reading its stat (the first job's fresh child has not started yet).
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return childrenCpuSeconds();
    throw e;
  }
}

/** Grading jobs through the worker's own child grader: submit → validated report, split into training and overhead. */
async function gradingJobs(): Promise<void> {
  const assignment = await loadAssignment("lesson-6");
  const specs = assignment.dir!;
  const simple = parseSpec(await readFile(path.join(specs, "specs/simple-cnn.yaml"), "utf8"));
  const lessonCnn = { ...simple, training: { ...simple.training, epochs: LESSON_EPOCHS } };
  const transfer = parseSpec(await readFile(path.join(specs, "specs/transfer.yaml"), "utf8"));
  const cacheDir = path.join(path.resolve(env.DATA_DIR), "dataset-cache");
  const cachedDatasets = existsSync(cacheDir) ? readdirSync(cacheDir).length : 0;
  console.log(`grading jobs through the child grader (DATA_DIR ${env.DATA_DIR}: ${cachedDatasets} dataset(s) already decoded in its cache):`);
  // As the worker sends it: the stored config, and the folder its relative paths start from.
  const { dir: _dir, ...config } = assignment;
  const grader = createChildGrader();
  try {
    const jobs = [
      { label: "lesson CNN, first job (child starts)", spec: lessonCnn },
      { label: "lesson CNN, warm child", spec: lessonCnn },
      { label: "transfer.yaml, warm child", spec: transfer },
    ];
    for (const job of jobs) {
      const before = load();
      const cpuBefore = childrenCpuSeconds();
      const started = performance.now();
      const r = await grader.grade(
        { assignment: { config, dir: assignment.dir! }, submission: { kind: job.spec.kind, spec: job.spec }, seed: 1 },
        { timeoutMs: 15 * 60_000 },
      );
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = childrenCpuSeconds();
      const childCpu = cpuAfter === null || cpuBefore === null ? "?" : (cpuAfter - cpuBefore).toFixed(1);
      const train = r.durations.trainMs / 1000;
      const evaluate = r.durations.evaluateMs / 1000;
      const trained = r.training.trainExamples * r.training.epochsRun;
      console.log(`  ${job.label.padEnd(38)} submit → report ${seconds.toFixed(1)} s: training ${train.toFixed(1)} s ` +
        `(${r.training.epochsRun} epochs × ${r.training.trainExamples} images, ${(trained / train).toFixed(0)} images/s, ` +
        `${r.backend}${r.backendThreads ? ` on ${r.backendThreads} thread(s)` : ""}), ` +
        `overhead ${(seconds - train).toFixed(2)} s = held-out evaluation ${evaluate.toFixed(2)} s + the rest ${(seconds - train - evaluate).toFixed(2)} s ` +
        `(of which the child's load step ${(r.durations.loadMs / 1000).toFixed(2)} s); the child used ${childCpu} CPU-s   ${before} → ${load()}`);
      console.log(`  ${"".padEnd(38)} result: ${r.status}, held-out accuracy ${((r.metrics?.all.accuracy ?? 0) * 100).toFixed(1)}%, ` +
        `macro-F1 ${r.metrics?.all.macro.f1.toFixed(4)}, score ${r.score?.all.score.toFixed(2) ?? "n/a"}` +
        (r.training.featureCache ? `; ${r.training.featureCache.note}` : ""));
    }
  } finally {
    await grader.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { batches: { type: "string", default: "20" }, "skip-job": { type: "boolean", default: false } } });
  const batches = Number(values.batches);
  const simple = await simpleCnnThroughput(batches);
  console.log(`simple CNN (32x32x3, batch ${BATCH}, 10 classes, Adam) on ${simple.backend}: ${simple.imagesPerSecond.toFixed(1)} images/s over ${batches} batches (${simple.imagesPerCpuSecond.toFixed(1)} per CPU-second; the two differ when the machine is busy)`);
  if (!values["skip-job"]) await gradingJobs();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
