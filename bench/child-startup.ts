/**
 * Start-up cost of a grading child (`npx tsx bench/child-startup.ts [--runs 3]`): the time and the child's own CPU
 * seconds from fork until TF.js and its WebAssembly backend are loaded (the child's "running on" line), for the
 * compiled entry the grader now forks (grader/worker/compile-child.ts) and, for comparison, the same TypeScript entry
 * under tsx's loader as it used to run. Runs alternate; the one-minute load average is printed with each. CPU seconds
 * come from /proc/<pid>/stat, so they stay meaningful on a busy machine where wall-clock time does not.
 */
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { compiledChildEntry } from "@/grader/worker/compile-child";

const ROOT = process.cwd();
const ENTRY = path.join(ROOT, "grader", "worker", "grade-child.ts");
const TSX_LOADER = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

function childCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function startOnce(mode: "tsx" | "compiled"): Promise<{ wall: number; cpu: number; bundleMs: number }> {
  const t0 = performance.now();
  const file = mode === "tsx" ? ENTRY : compiledChildEntry(ENTRY, ROOT);
  const bundleMs = performance.now() - t0;
  const child = fork(file, [], {
    execArgv: mode === "tsx" ? ["--import", TSX_LOADER] : [],
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json") },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("running on") && resolve());
      child.once("exit", (code) => reject(new Error(`the ${mode} child exited (${code}) before loading TF.js`)));
    });
    return { wall: (performance.now() - t0) / 1000, cpu: childCpuSeconds(child.pid!), bundleMs };
  } finally {
    child.kill("SIGKILL");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
  const runs = Number(values.runs);
  if (!(runs >= 1)) throw new Error("--runs must be at least 1");
  console.log(`grading child start-up, fork → TF.js on wasm loaded; Node ${process.version}, ${os.availableParallelism()} cores`);
  for (let r = 0; r < runs; r++) {
    for (const mode of ["tsx", "compiled"] as const) {
      const load = os.loadavg()[0]!;
      const s = await startOnce(mode);
      console.log(`  ${mode.padEnd(9)} ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} CPU-s in the child` +
        `${mode === "compiled" ? `, bundling ${s.bundleMs.toFixed(0)} ms in the parent (first time in a process only)` : ""}   load ${load.toFixed(2)}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
