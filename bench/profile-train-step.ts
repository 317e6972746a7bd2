/**
 * Per-kernel time of one training step on the current backend (`npx tsx bench/profile-train-step.ts`):
 *
 *   npx tsx bench/profile-train-step.ts [--case simple|transfer] [--runs 8]
 *   TG_WASM_FAST_KERNELS=off npx tsx bench/profile-train-step.ts     # the backend's own kernels
 *
 * One step is what the grader's trainModel does per batch: forward in training mode, clipped cross-entropy, Adam
 * update of the trainable weights. Each kernel call is timed by `tf.profile` over `runs` steps and its minimum kept
 * (other processes only ever add time), then summed per kernel name.
 */
import { parseArgs } from "node:util";
import type { Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import { loadTf } from "@/grader/backend/load-tf";
import { SeededRandom } from "@/grader/random";
import { buildCaseModel, caseClasses, INPUT_SHAPE, loadTrainCases, SEED } from "./train-cases";

/** Keras' (and the grader's) clip before the log. */
const EPSILON = 1e-7;
const WARMUP_STEPS = 3;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { case: { type: "string", default: "simple" }, runs: { type: "string", default: "8" } } });
  const c = loadTrainCases().find((x) => x.name === values.case);
  if (!c) throw new Error(`--case must be simple or transfer (got ${values.case})`);
  const runs = Number(values.runs);
  if (!(runs >= 1)) throw new Error("--runs must be at least 1");
  const { tf, backend } = await loadTf();
  const rng = new SeededRandom(SEED);
  const model = buildCaseModel(tf, c, rng);
  const classes = caseClasses(c);
  const x = tf.randomUniform([c.batchSize, ...INPUT_SHAPE], 0, 1, "float32", SEED);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: c.batchSize }, () => rng.int(classes)), "int32"), classes);
  const optimizer = tf.train.adam(c.learningRate);
  // As in trainModel: only the layers' trainable weights (a frozen layer's variables are still trainable tf.Variables).
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  const step = (): void => {
    tf.tidy(() => {
      optimizer.minimize(() => {
        const probs = model.apply(x, { training: true }) as Tensor;
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON))), -1))) as Scalar;
      }, false, vars);
    });
  };
  for (let i = 0; i < WARMUP_STEPS; i++) step();
  // Wall time of unprofiled steps, for the share of the step spent outside kernels (JS, tape, allocation).
  const wall: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    step();
    wall.push(performance.now() - t0);
  }
  const calls: { name: string; shapes: string; ms: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const profile = await tf.profile(step);
    profile.kernels.forEach((k, i) => {
      const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
      if (r === 0) calls.push({ name: k.name, shapes: JSON.stringify(k.inputShapes), ms });
      else calls[i]!.ms = Math.min(calls[i]!.ms, ms);
    });
  }
  const byName = new Map<string, number>();
  for (const k of calls) byName.set(k.name, (byName.get(k.name) ?? 0) + k.ms);
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  console.log(`${c.title}, batch ${c.batchSize}, on ${backend}: kernel time per step ${total.toFixed(1)} ms (each call's minimum over ${runs} steps), ${calls.length} kernel calls`);
  console.log(`  whole step, unprofiled: min ${Math.min(...wall).toFixed(1)} ms, median ${[...wall].sort((a, b) => a - b)[Math.floor(wall.length / 2)]!.toFixed(1)} ms`);
  for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${name.padEnd(28)} ${ms.toFixed(2).padStart(8)} ms`);
  console.log("slowest calls:");
  for (const k of [...calls].sort((a, b) => b.ms - a.ms).slice(0, 10)) console.log(`  ${k.ms.toFixed(2).padStart(8)} ms  ${k.name} ${k.shapes}`);
  const detail = process.env.TG_PROFILE_KERNEL;
  if (detail) for (const k of calls.filter((c) => detail.split(",").includes(c.name))) console.log(`  ${k.ms.toFixed(2).padStart(8)} ms  ${k.name} ${k.shapes}`);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
