/**
 * `npm run bench:uploads`: what hostile uploads cost the web server.
 * Starts the production build (tests/e2e/helpers/server.ts: builds first when the sources changed), signs in as the
 * demo student and the demo instructor, then sends 8 hostile uploads at once:
 *   - 5 trained-model zips that are bombs of zeros (two 120 MB entries of zeros beside a valid model.json, ~240 KB),
 *   - 1 zip of 100,000 directory entries,
 *   - 2 instructor dataset zips that are bombs (16 "images" of 31 MB of zeros each, ~500 KB);
 * then 8 model uploads of 40 MB each at once (random weights, a shard longer than its manifest), to show that the
 * form itself is not held in memory.
 * It samples VmRSS of the Next server process and its children every 20 ms and prints the peak above idle, the peak
 * VmHWM, each upload's status and time to refusal, and the load average before and after. Goal: < 150 MB above idle.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { startServer, type TestServer } from "../tests/e2e/helpers/server";
import { sessionCookie } from "../tests/e2e/helpers/http-session";
import { deflatedZip, folderZip } from "../tests/helpers/hostile-zips";

const MB = 1024 * 1024;
/** `-- --only bombs` or `-- --only large` runs one round (a round's leftovers on a server that fails it skew the next). */
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const runs = (round: "bombs" | "large"): boolean => only === undefined || only === round;
const SAMPLE_MS = 20;
const GOAL_MB = 150;

const modelJson = JSON.stringify({
  format: "layers-model",
  modelTopology: { class_name: "Sequential", config: { name: "s", layers: [{ class_name: "Flatten", config: { name: "f", batch_input_shape: [null, 32, 32, 3] } }] } },
  weightsManifest: [{ paths: ["weights-1.bin", "weights-2.bin"], weights: [] }],
});

/** One 60-byte weight group: a 40 MB shard is 40 MB too long for it. */
const largeModelJson = JSON.stringify({
  format: "layers-model",
  modelTopology: { class_name: "Sequential", config: { name: "s", layers: [{ class_name: "Dense", config: { name: "d", units: 3, batch_input_shape: [null, 4] } }] } },
  weightsManifest: [{ paths: ["weights.bin"], weights: [{ name: "d/kernel", shape: [4, 3], dtype: "float32" }, { name: "d/bias", shape: [3], dtype: "float32" }] }],
});

/** Every process whose parent chain reaches `root` (the server's own children: grading runners, workers). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
  return out;
}

/** The pid that owns the listening socket of `port` (the Next server itself, not the `next start` launcher). */
function listeningPid(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === "0A") inodes.add(cols[9]!);
    }
  }
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      for (const fd of fs.readdirSync(`/proc/${d}/fd`)) {
        const target = fs.readlinkSync(`/proc/${d}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m && inodes.has(m[1]!)) return Number(d);
      }
    } catch {
      // not ours to read, or gone
    }
  }
  throw new Error(`no process listens on port ${port}`);
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const treeRssKb = (root: number): number => descendants(root).reduce((a, pid) => a + statusKb(pid, "VmRSS"), 0);
const loadavg = (): string => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  console.log(`[bench:uploads] building the hostile archives…`);
  const modelBomb = await deflatedZip([
    { name: "model.json", data: modelJson },
    { name: "weights-1.bin", zeros: 120 * MB },
    { name: "weights-2.bin", zeros: 120 * MB },
  ]);
  const dirBomb = folderZip(100_000, [["model.json", Buffer.from(modelJson)]]);
  const datasetBomb = await deflatedZip([
    ...Array.from({ length: 16 }, (_, i) => ({ name: `circle/${i}.png`, zeros: 31 * MB })),
    { name: "square/0.png", zeros: 1 * MB },
  ]);
  const bigModel = await deflatedZip([{ name: "model.json", data: largeModelJson }, { name: "weights.bin", data: randomBytes(40 * MB) }]);
  console.log(`[bench:uploads] model bomb ${(modelBomb.length / 1024).toFixed(0)} KB (240 MB inflated), directory zip ${(dirBomb.length / 1024).toFixed(0)} KB (100,000 folders), dataset bomb ${(datasetBomb.length / 1024).toFixed(0)} KB (497 MB inflated)`);

  const server: TestServer = await startServer();
  try {
    const port = Number(new URL(server.url).port);
    const pid = listeningPid(port);
    const headers = (cookie: string) => ({ cookie, origin: server.url, "sec-fetch-site": "same-origin" });
    const student = await sessionCookie(server.url, { email: "student@tensorgrade.dev", password: "learn-lesson-6" });
    const instructor = await sessionCookie(server.url, { email: "instructor@tensorgrade.dev", password: "teach-lesson-6" });

    const submitModel = (zip: Buffer) => {
      const fd = new FormData();
      fd.set("mode", "model");
      fd.set("model", new File([new Uint8Array(zip)], "model.zip", { type: "application/zip" }));
      return fetch(`${server.url}/api/assignments/6/submissions`, { method: "POST", headers: headers(student), body: fd });
    };
    const uploadDataset = (zip: Buffer) => {
      const fd = new FormData();
      fd.set("role", "train");
      fd.set("format", "image-folder");
      fd.set("archive", new File([new Uint8Array(zip)], "dataset.zip", { type: "application/zip" }));
      return fetch(`${server.url}/instructor/datasets/upload`, { method: "POST", headers: headers(instructor), body: fd });
    };

    // Warm up both routes (first requests load their code), then let the heap settle before measuring idle.
    const notZip = new FormData();
    notZip.set("mode", "model");
    notZip.set("model", new File(["not a zip"], "model.zip", { type: "application/zip" }));
    await (await fetch(`${server.url}/api/assignments/6/submissions`, { method: "POST", headers: headers(student), body: notZip })).text();
    await (await uploadDataset(await deflatedZip([{ name: "a.txt", data: "x" }]))).text();
    await new Promise((r) => setTimeout(r, 3000));

    type Upload = { what: string; send: () => Promise<Response>; reason: RegExp };
    /** Sends the uploads at once, sampling the server's memory, and prints what each answered and what it cost. */
    const round = async (title: string, uploads: Upload[]): Promise<boolean> => {
      const idleKb = treeRssKb(pid);
      const idleHwm = statusKb(pid, "VmHWM");
      const loadBefore = loadavg();
      let peakKb = idleKb;
      const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(pid))), SAMPLE_MS);
      const t0 = performance.now();
      const results = await Promise.all(uploads.map(async (u) => {
        const res = await u.send();
        const body = await res.text();
        const ms = performance.now() - t0;
        let message = body;
        try {
          message = (JSON.parse(body) as { error?: string; message?: string }).error ?? (JSON.parse(body) as { message?: string }).message ?? body;
        } catch {
          // not JSON: show the text
        }
        return { what: u.what, status: res.status, ms, message: String(message).slice(0, 140), rightReason: u.reason.test(String(message)) };
      }));
      const totalMs = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 500));
      clearInterval(sampler);
      peakKb = Math.max(peakKb, treeRssKb(pid));
      const hwm = statusKb(pid, "VmHWM");

      console.log(`\n[bench:uploads] ${title} against ${server.url} (server pid ${pid})`);
      for (const r of results) console.log(`  ${r.what.padEnd(26)} ${r.status}  ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${r.message}`);
      console.log(`  all answered in ${(totalMs / 1000).toFixed(2)} s`);
      console.log(`  RSS of the server and its children: idle ${mb(idleKb)}, peak ${mb(peakKb)}, peak above idle ${mb(peakKb - idleKb)} (goal < ${GOAL_MB} MB)`);
      console.log(`  VmHWM of the server process: ${mb(idleHwm)} before, ${mb(hwm)} after`);
      console.log(`  load average (1, 5, 15 min): ${loadBefore} before, ${loadavg()} after; ${os.cpus().length} cores`);
      const overGoal = (peakKb - idleKb) / 1024 > GOAL_MB;
      const accepted = results.filter((r) => r.status < 400);
      if (accepted.length) console.log(`  NOT REFUSED: ${accepted.map((r) => r.what).join(", ")}`);
      if (overGoal) console.log(`  OVER GOAL: ${mb(peakKb - idleKb)} above idle`);
      const wrongReason = results.filter((r) => r.status >= 400 && !r.rightReason);
      if (wrongReason.length) console.log(`  REFUSED FOR ANOTHER REASON (the request did not arrive whole?): ${wrongReason.map((r) => r.what).join(", ")}`);
      return !(overGoal || accepted.length || wrongReason.length);
    };

    // Each must be refused for what it is: a refusal for some other reason (a form field lost on the way) hides the check.
    const bombReason = /refused as a zip bomb/;
    const bombs = !runs("bombs") || await round("8 concurrent hostile uploads (zip bombs, 100,000 folders)", [
      ...Array.from({ length: 5 }, (_, i) => ({ what: `model zip bomb ${i + 1}`, send: () => submitModel(modelBomb), reason: bombReason })),
      { what: "100,000 directory entries", send: () => submitModel(dirBomb), reason: /more than \d+ files and folders/ },
      ...Array.from({ length: 2 }, (_, i) => ({ what: `dataset zip bomb ${i + 1}`, send: () => uploadDataset(datasetBomb), reason: bombReason })),
    ]);
    await new Promise((r) => setTimeout(r, 3000));
    // Large bodies: the form itself must not be held in memory. A 40 MB shard whose manifest wants 60 bytes is refused
    // after the whole body has arrived (spooled to disk) and before any weight is inflated.
    const large = !runs("large") || await round(`8 concurrent ${(bigModel.length / MB).toFixed(0)} MB model uploads (a shard longer than its manifest)`,
      Array.from({ length: 8 }, (_, i) => ({ what: `large model ${i + 1}`, send: () => submitModel(bigModel), reason: /longer than its manifest/ })));
    process.exitCode = bombs && large ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
