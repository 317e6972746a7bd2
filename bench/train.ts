/**
 * `npm run bench:train` — training throughput on the backend in use.
 *
 *   npm run bench:train -- [--batches 20] [--skip-job]
 *
 * 1. The syllabus's simple CNN (Conv 32 → pool → Conv 64 → pool → Conv 64 → Dense 64 → Dense 10, 32×32×3 input,
 *    batch 64, Adam) trained with the grader's own loop on generated images: images/s after one warm-up epoch.
 *    Also printed per CPU-second of this process, which stays meaningful on a busy shared machine (wasm is one thread).
 * 2. The whole grading job of the reference submission (assignments/lesson-6/specs/simple-cnn.yaml on Assignment 6's
 *    offline defaults): load → train → evaluate, reported as training images per second of total job time.
 */
import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import { loadTf } from "@/grader/backend/load-tf";
import { generateShapes, SHAPE_CATALOGUE } from "@/grader/data/shapes";
import { gradeSubmission } from "@/grader/grade";
import { buildModel } from "@/grader/model/build-model";
import { SeededRandom } from "@/grader/random";
import { analyzeSpec } from "@/grader/spec/analyze";
import { parseSpec } from "@/grader/spec/schema";
import { trainModel } from "@/grader/train/train-model";

const BATCH = 64;

/** CPU seconds this process used between two readings (user + system). */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

async function simpleCnnThroughput(batches: number): Promise<{ backend: string; imagesPerSecond: number; imagesPerCpuSecond: number }> {
  const { tf, backend } = await loadTf();
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
  return { backend, imagesPerSecond: result.imagesPerSecond ?? 0, imagesPerCpuSecond: (batches * BATCH) / cpuUsed };
}

async function referenceJob(): Promise<void> {
  const assignment = await loadAssignment("lesson-6");
  const specPath = path.join(assignment.dir!, "specs/simple-cnn.yaml");
  const spec = parseSpec(await readFile(specPath, "utf8"));
  const dataDir = mkdtempSync(path.join(tmpdir(), "tg-bench-"));
  const started = Date.now();
  const cpu = process.cpuUsage();
  const r = await gradeSubmission({ assignment, submission: { kind: "cnn", spec }, seed: 1, dataDir });
  const seconds = (Date.now() - started) / 1000;
  const cpuUsed = cpuSeconds(cpu);
  const trained = r.training.trainExamples * r.training.epochsRun;
  console.log(`reference job (${path.relative(process.cwd(), specPath)}, ${r.training.trainExamples} train images × ${r.training.epochsRun} epochs, ${r.metrics?.all.count ?? 0} held-out):`);
  console.log(`  load ${(r.durations.loadMs / 1000).toFixed(1)} s (uncached), train ${(r.durations.trainMs / 1000).toFixed(1)} s, evaluate ${(r.durations.evaluateMs / 1000).toFixed(1)} s, total ${seconds.toFixed(1)} s`);
  console.log(`  training loop: ${r.training.imagesPerSecond?.toFixed(1)} images/s; whole job: ${(trained / seconds).toFixed(1)} training images/s of job time (${(trained / cpuUsed).toFixed(1)} per CPU-second)`);
  console.log(`  result: ${r.status}, held-out accuracy ${((r.metrics?.all.accuracy ?? 0) * 100).toFixed(1)}%, macro-F1 ${r.metrics?.all.macro.f1.toFixed(3)}, score ${r.score.all.score.toFixed(1)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { batches: { type: "string", default: "20" }, "skip-job": { type: "boolean", default: false } } });
  const batches = Number(values.batches);
  const simple = await simpleCnnThroughput(batches);
  console.log(`simple CNN (32x32x3, batch ${BATCH}, 10 classes, Adam) on ${simple.backend}: ${simple.imagesPerSecond.toFixed(1)} images/s over ${batches} batches (${simple.imagesPerCpuSecond.toFixed(1)} per CPU-second; the two differ when the machine is busy)`);
  if (!values["skip-job"]) await referenceJob();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
