/**
 * `npm run bench:wait` — the student's wait as a student sees it: from the submit request to the final status on the
 * submission's live stream, against the production build started the way `npm start` starts it (scripts/serve.mjs,
 * the embedded default unless DATABASE_URL / REDIS_URL are set; with REDIS_URL a grader worker is started too).
 *
 * The demo student submits Assignment 6's lesson CNN (specs/simple-cnn.yaml's network at 5 epochs, 2,700 training
 * images) `--runs` times (default 3), one after another. The first submission finds no grading child (the embedded
 * runner starts them on the first job); the later ones find it warm. For each it prints: the request's answer time,
 * the time to the first progress event, to the final status, the report's own training and evaluation times and
 * thread count, and the load average before and after.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { parseStreamMessage } from "@/grader/contracts/submission-stream";
import { sessionCookie } from "../tests/e2e/helpers/http-session";
import { DEMO_STUDENT, startServer } from "../tests/e2e/helpers/server";
import { startGraderWorkerIfQueued } from "../tests/e2e/helpers/grader-worker";

const COURSE = "cv-fundamentals";
const LESSON_EPOCHS = 5;
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** Reads the submission's SSE stream until its final status; returns when the first progress event and the end came. */
interface StreamEnd {
  firstProgressS: number | null;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
}

async function followStream(url: string, cookie: string, started: number): Promise<StreamEnd> {
  const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" } });
  if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buffered = "";
  let firstProgressS: number | null = null;
  let last: Omit<StreamEnd, "firstProgressS"> = { status: "unknown", startedAt: null, finishedAt: null };
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const message = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.+)$/m.exec(message)?.[1];
      const data = /^data: (.+)$/m.exec(message)?.[1];
      if (!event || !data) continue;
      if (event === "progress" && firstProgressS === null) firstProgressS = (performance.now() - started) / 1000;
      if (event === "status") {
        const view = parseStreamMessage("status", data);
        last = { status: view.status, startedAt: view.startedAt, finishedAt: view.finishedAt };
      }
    }
  }
  return { firstProgressS, ...last };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
  const runs = Number(values.runs);
  const specFile = path.resolve("assignments/lesson-6/specs/simple-cnn.yaml");
  const spec = parseYaml(await readFile(specFile, "utf8")) as { training: Record<string, unknown> };
  spec.training.epochs = LESSON_EPOCHS;
  const server = await startServer();
  const worker = startGraderWorkerIfQueued(server);
  try {
    const mode = process.env.REDIS_URL ? "BullMQ worker (npm run grader)" : "embedded runner in the web process";
    console.log(`[bench:wait] ${server.url}, grading by the ${mode}; the lesson CNN at ${LESSON_EPOCHS} epochs, ${runs} run(s)`);
    const cookie = await sessionCookie(server.url, DEMO_STUDENT);
    for (let run = 1; run <= runs; run++) {
      const before = load();
      const form = new FormData();
      form.set("mode", "builder");
      form.set("spec", JSON.stringify(spec));
      const started = performance.now();
      const startedWall = Date.now();
      const res = await fetch(`${server.url}/api/courses/${COURSE}/assignments/6/submissions`, {
        method: "POST", body: form, headers: { cookie, origin: server.url },
      });
      const answeredS = (performance.now() - started) / 1000;
      const body = (await res.json()) as { id?: string; error?: string };
      if (res.status !== 201 || !body.id) throw new Error(`submit: HTTP ${res.status} ${JSON.stringify(body)}`);
      const end = await followStream(`${server.url}/api/submissions/${body.id}/events`, cookie, started);
      const totalS = (performance.now() - started) / 1000;
      const at = (iso: string | null) => (iso ? ((Date.parse(iso) - startedWall) / 1000).toFixed(1) : "?");
      // The report page names the backend and its threads (report-view.tsx, "backend wasm on 2 threads").
      const page = await (await fetch(`${server.url}/submissions/${body.id}`, { headers: { cookie } })).text();
      const backend = /backend (?:<!-- -->)?([\w-]+)(?:<!-- -->)?( on \d+ threads)?/.exec(page);
      console.log(
        `  run ${run}${run === 1 ? " (no grading child yet)" : " (warm child)"}: submit → ${end.status} ${totalS.toFixed(1)} s ` +
          `(request answered in ${answeredS.toFixed(2)} s; grading started at ${at(end.startedAt)} s, first progress at ` +
          `${end.firstProgressS?.toFixed(1) ?? "?"} s, finished at ${at(end.finishedAt)} s; backend ${backend ? `${backend[1]}${backend[2] ?? " on 1 thread"}` : "?"})` +
          `   load ${before} → ${load()}`,
      );
    }
  } finally {
    await worker?.stop();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error("[bench:wait]", err);
  process.exit(1);
});
