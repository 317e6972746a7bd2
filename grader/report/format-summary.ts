import type { GradingReport } from "./schema";

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The summary printed to the terminal: what a student would look at first. */
export function formatSummary(r: GradingReport): string {
  const lines: string[] = [];
  lines.push(`status     ${r.status}${r.message ? ` — ${r.message}` : ""}`);
  lines.push(`backend    ${r.backend}`);
  lines.push(`model      ${r.model.totalParams.toLocaleString("en-US")} params (${r.model.trainableParams.toLocaleString("en-US")} trainable), ${(r.model.flopsPerImage / 1e6).toFixed(2)} MFLOPs/image`);
  lines.push(`durations  load ${(r.durations.loadMs / 1000).toFixed(1)} s, train ${(r.durations.trainMs / 1000).toFixed(1)} s, evaluate ${(r.durations.evaluateMs / 1000).toFixed(1)} s`);
  if (r.training.curves.length) {
    lines.push(`training   ${r.training.epochsRun} epochs (${r.training.stopReason}), ${r.training.imagesPerSecond?.toFixed(0) ?? "?"} images/s`);
    for (const c of r.training.curves) {
      lines.push(`  epoch ${String(c.epoch).padStart(2)} ${c.phase.padEnd(8)} loss ${c.loss.toFixed(4)} acc ${pct(c.acc)}${c.valAcc !== null ? `  val loss ${c.valLoss!.toFixed(4)} val acc ${pct(c.valAcc)}` : ""}`);
    }
  }
  if (r.metrics) {
    const m = r.metrics.all;
    lines.push(`held-out   ${m.count} images: accuracy ${pct(m.accuracy)}, top-${m.topK.k} ${pct(m.topK.accuracy)}, macro-F1 ${m.macro.f1.toFixed(3)}, macro AUC ${m.macroAuc?.toFixed(3) ?? "n/a"}, log loss ${m.logLoss.toFixed(3)}`);
    lines.push(`  ${"class".padEnd(12)} precision recall  f1     support`);
    for (const c of m.perClass) {
      lines.push(`  ${c.className.padEnd(12)} ${c.precision.toFixed(3).padStart(9)} ${c.recall.toFixed(3).padStart(6)} ${c.f1.toFixed(3).padStart(6)} ${String(c.support).padStart(7)}`);
    }
    lines.push(`  confusion (rows true, columns predicted):`);
    for (const [i, row] of m.confusionMatrix.entries()) lines.push(`  ${r.assignment.classes[i]!.padEnd(12)} ${row.map((v) => String(v).padStart(5)).join("")}`);
  }
  lines.push(r.score
    ? `score      public ${r.score.public.score.toFixed(1)}, private ${r.score.private.score.toFixed(1)}, all ${r.score.all.score.toFixed(1)}  (${r.score.all.formula})`
    : "score      computed against the dataset's baseline run once both have finished (kind: improvement)");
  return lines.join("\n");
}
