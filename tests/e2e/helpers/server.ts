import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { serverNodeArgs } from "../../../scripts/server-node-args.mjs";
import { createScratchDatabase } from "../../helpers/scratch-postgres";

/** The demo accounts every server started here has: the seed creates them outside production. */
export { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

export interface TestServer {
  url: string;
  dataDir: string;
  databaseUrl?: string;
  /** Extra environment the server and its helpers run with (for a worker started by a test). */
  env: Record<string, string | undefined>;
  logs: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh Postgres database for this server when DATABASE_URL is set (else the server uses PGlite). */
async function freshDatabase(): Promise<{ url?: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  return base ? createScratchDatabase(base, "tg_e2e") : { drop: async () => {} };
}

function runToEnd(cmd: string, args: string[], env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} failed (${code}):\n${out}`))));
  });
}

/**
 * Node's fetch drops idle keep-alive sockets after 4 s and Node's server after 5 s; on a loaded
 * machine the server can win that race and a test's next request dies with ECONNRESET. A server
 * that keeps sockets far longer than the client leaves only the client to close them.
 */
const SERVER_KEEP_ALIVE_MS = 65_000;

const BUILD_LOCK = path.join(ROOT, ".next-build.lock");

/**
 * Builds the site unless `.next` holds a build of the current sources. Test files run in parallel,
 * so a lock directory (mkdir is atomic) makes exactly one of them build while the others wait.
 */
export async function ensureBuilt(): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // A lock older than 15 minutes belongs to a build that died.
      const lock = fs.statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 15 * 60_000) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    const { buildIfNeeded } = await import("../../../scripts/build-if-needed.mjs");
    await buildIfNeeded();
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/**
 * Starts the built site the way `npm start` does — seed, then scripts/serve.mjs — on a free port with
 * its own data directory (and its own Postgres database when DATABASE_URL is set).
 * Builds first when needed (see ensureBuilt).
 */
/** SIGKILLs every process left in the group `pid` leads; a group already gone is fine. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}

export async function startServer(
  extraEnv: Record<string, string | undefined> = {},
  // The site's configured address (NEXTAUTH_URL) when it is not the one the tests open, e.g.
  // scripts/start.mjs's http://localhost:$PORT while the browser uses 127.0.0.1.
  { siteUrl }: { siteUrl?: (port: number) => string } = {},
): Promise<TestServer> {
  await ensureBuilt();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-e2e-"));
  const db = await freshDatabase();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...extraEnv,
    DATA_DIR: dataDir,
    NEXTAUTH_URL: siteUrl ? siteUrl(port) : url,
    NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret",
    NEXT_TELEMETRY_DISABLED: "1",
    ...(db.url ? { DATABASE_URL: db.url } : {}),
  };
  delete env.NODE_ENV; // the seed runs as development (demo accounts); scripts/serve.mjs sets production itself
  await runToEnd(bin("tsx"), ["db/seed-cli.ts"], env);
  let logs = "";
  // scripts/serve.mjs, as `npm start` runs it: `next start` plus the stamped client address.
  const child: ChildProcess = spawn(
    process.execPath,
    [...serverNodeArgs(env), path.join(ROOT, "scripts", "serve.mjs"), "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", String(SERVER_KEEP_ALIVE_MS)],
    // Its own process group, so stop() can end what the server started too (grading children).
    { cwd: ROOT, env: env as NodeJS.ProcessEnv, detached: true },
  );
  child.stdout?.on("data", (d) => (logs += d));
  child.stderr?.on("data", (d) => (logs += d));
  let stopping = false;
  // A server that dies under a test would otherwise show up only as "connection refused".
  child.on("exit", (code, signal) => {
    if (!stopping) console.error(`[e2e] the server exited unexpectedly (${code ?? signal}); its output:\n${logs}`);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${logs}`);
    try {
      const res = await fetch(url + "/api/auth/csrf");
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start within 60 s:\n${logs}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    databaseUrl: db.url,
    env,
    logs: () => logs,
    async stop() {
      stopping = true;
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
      // scripts/serve.mjs exits without waiting for a training child it started; one still
      // running would keep writing into DATA_DIR while the folder is removed.
      killGroup(child.pid);
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}
