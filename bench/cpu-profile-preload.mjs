/**
 * Loaded with `node --import` (NODE_OPTIONS) by `BENCH_CPU_PROF=dir npm run bench:web`: lets the
 * benchmark record V8 CPU profiles of the web server (scripts/serve.mjs only; other processes that
 * inherit NODE_OPTIONS are left alone) over just the seconds it drives one page. SIGUSR2 starts
 * the profiler; the next SIGUSR2 stops it and writes $BENCH_CPU_PROF/serve-<pid>-<n>.cpuprofile
 * (`node --cpu-prof` would profile the whole life of the process, and is not allowed in NODE_OPTIONS).
 */
import fs from "node:fs";
import path from "node:path";
import { Session } from "node:inspector";

const dir = process.env.BENCH_CPU_PROF;
if (dir && /scripts[/\\]serve\.mjs$/.test(process.argv[1] ?? "")) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  let running = false;
  let n = 0;
  process.on("SIGUSR2", () => {
    if (!running) {
      session.post("Profiler.start");
      running = true;
      return;
    }
    running = false;
    session.post("Profiler.stop", (err, result) => {
      if (err) return console.error("[cpu-profile]", err);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `serve-${process.pid}-${++n}.cpuprofile`);
      // Written under a temporary name and renamed, so a reader never sees half a file.
      fs.writeFileSync(`${file}.part`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.part`, file);
    });
  });
}
