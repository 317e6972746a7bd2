/**
 * `npm run grade -- --assignment lesson-6 --spec path/to/spec.(json|yaml) [--seed 1] [--out report.json] [--data-dir dir]`
 * `npm run grade -- --assignment lesson-6 --model path/to/model-dir-or-zip`
 * Grades one submission locally, prints a readable summary and writes the report JSON.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadAssignment } from "../assignment/load-assignment";
import { isUserError, SpecOverBudgetError, SpecValidationError } from "../errors";
import { gradeSubmission } from "../grade";
import type { GradingReport } from "../report/schema";
import { formatSummary } from "../report/format-summary";
import { parseSpec } from "../spec/schema";
import { cliArgs } from "./args";

const USAGE = "usage: npm run grade -- --assignment lesson-6 (--spec spec.yaml | --model model-dir-or.zip) [--seed 1] [--out report.json] [--data-dir dir]";

async function main(): Promise<void> {
  const { values } = cliArgs({
    assignment: { type: "string", default: "lesson-6" },
    spec: { type: "string" },
    model: { type: "string" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    "data-dir": { type: "string" },
  }, USAGE);
  if (!values.spec === !values.model) {
    console.error(`Give exactly one of --spec or --model.\n${USAGE}`);
    process.exit(2);
  }
  const assignment = await loadAssignment(values.assignment);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) {
    console.error(`--seed must be an integer.\n${USAGE}`);
    process.exit(2);
  }
  /** Where the decoded dataset cache goes; defaults to DATA_DIR. */
  const dataDir = values["data-dir"];
  let report: GradingReport;
  let lastLine = 0;
  const onProgress = (p: import("../contracts/grading-progress").GradingProgress): void => {
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    if (Date.now() - lastLine < 2000 && !p.epochEnd) return;
    lastLine = Date.now();
    const what = p.phase === "training" ? `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(3)} acc ${pct(p.acc)}${p.valAcc !== undefined ? ` val acc ${pct(p.valAcc)}` : ""}${p.etaSeconds !== undefined ? ` eta ${p.etaSeconds.toFixed(0)} s` : ""}` : `${p.batch}/${p.batches}`;
    console.log(`[${p.phase}] ${what}`);
  };
  try {
    if (values.spec) {
      const spec = parseSpec(await readFile(values.spec, "utf8"));
      report = await gradeSubmission({ assignment, submission: { kind: spec.kind, spec }, seed, dataDir }, { onProgress });
    } else {
      report = await gradeSubmission({ assignment, submission: { kind: "model", modelDir: path.resolve(values.model!) }, seed, dataDir }, { onProgress });
    }
  } catch (e) {
    if (isUserError(e)) {
      console.error(`Rejected (${e.code}): ${e.message}`);
      if (e instanceof SpecValidationError || e instanceof SpecOverBudgetError) {
        for (const i of e.issues) console.error(`  ${i.path || "(spec)"}: ${i.message}`);
      }
      process.exit(1);
    }
    throw e;
  }
  const out = values.out ?? `${values.spec ?? values.model}`.replace(/\.(json|ya?ml|zip)$/i, "").replace(/\/$/, "") + ".report.json";
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${formatSummary(report)}\nreport     ${out}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
