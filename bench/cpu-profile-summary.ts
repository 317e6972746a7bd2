/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. the one `BENCH_CPU_PROF=dir npm run bench:web`
 * writes for the web server): the functions with the most self time, and self time per package or
 * source folder, so what dominates a request shows without opening DevTools.
 *
 * Also the functions with the most total time (themselves and what they call; a recursive call
 * counted once), which names the expensive steps: a session lookup, a render, a query.
 *
 * Usage: npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top 30] [--match text]
 */
import fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** "react-dom", "next", "pg", "(program)", or the app's own folder for a source file. */
function ownerOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    const pkg = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    // Next.js ships React's server builds inside its own folder: name them.
    const compiled = url.match(/next\/dist\/compiled\/([^/]+)/);
    return compiled ? `next/compiled/${compiled[1]}` : pkg;
  }
  if (url.startsWith("node:")) return "node core";
  const chunk = url.match(/\.next\/server\/(.*)$/);
  if (chunk) return `.next/server/${chunk[1]!.split("/")[0]}`;
  return url.replace(/^file:\/\//, "");
}

function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error("usage: bench/cpu-profile-summary.ts <file.cpuprofile> [--top N]");
  const flag = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
  const top = Number(flag("--top") ?? 30) || 30;
  const match = flag("--match");
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnTimes = new Map<string, number>();
  const ownerTimes = new Map<string, number>();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id)!;
    const key = `${f.functionName || "(anonymous)"}  ${f.url.replace(/^.*node_modules\//, "")}:${f.lineNumber + 1}`;
    fnTimes.set(key, (fnTimes.get(key) ?? 0) + us);
    const owner = ownerOf(f.url, f.functionName);
    ownerTimes.set(owner, (ownerTimes.get(owner) ?? 0) + us);
  }
  // Total time: each sample counts for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"}  ${n.callFrame.url.replace(/^.*node_modules\//, "")}:${n.callFrame.lineNumber + 1}`;
  const totalTimes = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)!;
      if (node.callFrame.functionName === "(root)") continue;
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      totalTimes.set(key, (totalTimes.get(key) ?? 0) + us);
    }
  }
  const busy = total - (fnTimes.get("(idle)  :0") ?? 0);
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  console.log(`${file}: ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled (percentages are of the busy time)`);
  console.log("\nself time by package or folder");
  for (const [k, us] of [...ownerTimes].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  console.log("\nself time by function");
  for (const [k, us] of [...fnTimes].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  console.log(`\ntotal time by function${match ? ` (names or files containing "${match}")` : ""}`);
  const totals = [...totalTimes].filter(([k]) => !match || k.includes(match)).sort((a, b) => b[1] - a[1]);
  for (const [k, us] of totals.slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}

main();
