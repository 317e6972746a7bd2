/**
 * `npm run bench:practice` — how long one practice run on a student's own 1,500-image dataset takes on this machine,
 * graded the way the worker grades it: a Fashion-MNIST subset (5 classes × 300, exported as a `flow_from_directory`
 * zip), read and split as the upload does (inspectOwnDataset: 32×32 colour, 1,050 / 225 / 225), then the lesson's
 * simple CNN and the transfer recipe on `fashion-base` (both sized to five classes by the builder's presets) through
 * ownDatasetConfig and the worker's own child grader. Prints each run's time from the child being handed the job to
 * its report, the training and evaluation parts, the CPU seconds it used, and the load average before and after.
 * Options: `--per-class N` (default 300), `--seed S`. Needs Debian's dataset-fashion-mnist.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import { ownDatasetConfig } from "@/grader/assignment/own-dataset-config";
import { exportImageFolderZip } from "@/grader/data/export-image-folder";
import { inspectOwnDataset } from "@/grader/data/own-dataset-quality";
import { loadRealImages, sourceAvailable } from "@/grader/data/real-image-sources";
import { specForClasses } from "@/grader/spec/spec-for-classes";
import { withLocalDatasets } from "@/grader/storage/local-datasets";
import { createChildGrader } from "@/grader/worker/child-process-grader";
import { LocalBlobStore, newBlobKey } from "@/lib/blobs/blob-store";

const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** CPU seconds used so far by this process's finished and running children (Linux /proc; null elsewhere). */
async function childrenCpuSeconds(): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // cutime and cstime (fields 16 and 17 of stat, 14 and 15 after the name) count only children that have exited.
    let ticks = Number(fields[13]) + Number(fields[14]);
    const tasks = await readFile(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").catch(() => "");
    for (const pid of tasks.split(/\s+/).filter(Boolean)) {
      const s = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      if (!s) continue;
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "per-class": { type: "string", default: "300" }, seed: { type: "string", default: "17" } } });
  if (!sourceAvailable("fashion-mnist")) {
    console.error("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist");
    process.exit(2);
  }
  const perClass = Number(values["per-class"]);
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-bench-practice-"));
  const store = new LocalBlobStore(path.join(dir, "blobs"));
  const grader = createChildGrader();
  try {
    const zip = path.join(dir, "clothing.zip");
    await exportImageFolderZip(await loadRealImages("fashion-mnist"), { classes: ["shirt", "sneaker", "bag", "dress", "coat"], perClass, seed: Number(values.seed) }, zip);
    const key = newBlobKey("datasets", "data.zip");
    await store.put(key, { file: zip });
    const inspected = await inspectOwnDataset(await store.localPath(key), [32, 32, 3], { seed: 1 });
    const s = inspected.split.sizes;
    console.log(`dataset: ${inspected.dataset.count} Fashion-MNIST photos, ${inspected.dataset.classes.join(", ")}; read at 32×32 colour; split ${s.train} / ${s.validation} / ${s.test}`);
    const assignment = await loadAssignment("lesson-6");
    const row = { id: "bench", name: "clothing", blobKey: key, inputSize: 32, channels: 3, classes: inspected.dataset.classes, split: inspected.split };
    const { dir: assignmentDir, ...config } = await withLocalDatasets(ownDatasetConfig(assignment, row), store);
    const spec = async (file: string, base?: string) => {
      const raw = parseYaml(await readFile(path.join(assignmentDir!, file), "utf8")) as Record<string, unknown>;
      const sized = specForClasses(raw, inspected.dataset.classes.length)!;
      return base ? { ...sized, base, name: `Transfer from ${base}` } : sized;
    };
    const jobs = [
      { label: "simple CNN (specs/simple-cnn.yaml, 8 epochs)", spec: await spec("specs/simple-cnn.yaml") },
      { label: "transfer recipe on fashion-base (4 + 2 epochs)", spec: await spec("specs/transfer.yaml", "fashion-base") },
    ];
    for (const job of jobs) {
      const before = load();
      const cpuBefore = await childrenCpuSeconds();
      const started = performance.now();
      const r = await grader.grade(
        { assignment: { config, dir: assignmentDir! }, submission: { kind: job.spec.kind as "cnn" | "transfer", spec: job.spec }, seed: 1 },
        { timeoutMs: 30 * 60_000, onProgress: () => undefined, signal: new AbortController().signal },
      );
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = await childrenCpuSeconds();
      console.log(`${job.label}: ${seconds.toFixed(1)} s from job to report — training ${(r.durations.trainMs / 1000).toFixed(1)} s ` +
        `(${r.training.epochsRun} epochs, ${r.training.trainExamples} training + ${r.training.validationExamples} validation images), ` +
        `test-split evaluation ${(r.durations.evaluateMs / 1000).toFixed(1)} s, loading ${(r.durations.loadMs / 1000).toFixed(1)} s; ` +
        `child CPU ${cpuBefore === null || cpuAfter === null ? "?" : (cpuAfter - cpuBefore).toFixed(1)} s; load ${before} → ${load()}`);
      console.log(`  test split (${r.metrics?.all.count} photos): accuracy ${((r.metrics?.all.accuracy ?? 0) * 100).toFixed(1)}%, macro-F1 ${r.metrics?.all.macro.f1.toFixed(3)}` +
        (r.training.featureCache ? `; ${r.training.featureCache.note}` : ""));
    }
  } finally {
    await grader.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
