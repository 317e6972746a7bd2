/**
 * `npm run bench:transfer:real [-- --seeds=1,2,3]` — does pretraining on real photos help a new task with few labels?
 * fashion-base (pretrained on five Fashion-MNIST clothing classes) frozen under a new head, against the same
 * architecture trained from scratch, each at its better of two learning rates, with 10 labelled images per class:
 * on the five Fashion-MNIST classes the base never saw, and on MNIST digits; with the lesson's head and with a
 * flatten head. Prints held-out macro-F1 and the margin per seed, with the load average beside each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fewLabelAssignment, fromScratchVsFrozen, type FewLabelTask, type Head } from "./real-base-transfer-run";

const seeds = (process.argv.find((a) => a.startsWith("--seeds="))?.slice(8) ?? "1,2,3").split(",").map(Number);
const dir = mkdtempSync(path.join(os.tmpdir(), "tg-bench-transfer-"));
const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const fmt = (runs: { learningRate: number; f1: number }[]) => runs.map((r) => `${r.f1.toFixed(3)} (lr ${r.learningRate})`).join(", ");
try {
  console.log(`[bench:transfer:real] 10 labelled images per class, 100 held-out per class, 30 epochs, batch 16; ${os.cpus().length} cores`);
  for (const task of ["fashion-unseen", "mnist"] as FewLabelTask[]) {
    const assignment = await fewLabelAssignment(task, dir);
    for (const head of ["lesson", "flatten"] as Head[]) {
      const margins: number[] = [];
      for (const seed of seeds) {
        const t0 = performance.now();
        const r = await fromScratchVsFrozen(assignment, seed, path.join(dir, "cache"), head);
        margins.push(r.margin);
        console.log(
          `  ${task}, ${head} head, seed ${seed}: frozen fashion-base ${fmt(r.frozen)}; from scratch ${fmt(r.scratch)}; ` +
          `margin ${r.margin >= 0 ? "+" : ""}${r.margin.toFixed(3)} · ${((performance.now() - t0) / 1000).toFixed(0)} s · load ${load()}`,
        );
      }
      const sorted = [...margins].sort((a, b) => a - b);
      console.log(`  ${task}, ${head} head: margin over ${seeds.length} seed(s) min ${sorted[0]!.toFixed(3)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
