#!/usr/bin/env node
/**
 * `npm start`: the one command a newcomer runs after `npm install`.
 *  1. builds the Next.js app when the sources changed since the last build;
 *  2. applies migrations and loads course content (and, outside production, the demo accounts);
 *  3. serves the site on http://localhost:$PORT (3000).
 * With DATABASE_URL / REDIS_URL set it uses those services; otherwise embedded PGlite and the
 * in-process grading runner.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { bin, buildIfNeeded, root, run } from "./build-if-needed.mjs";
import { serverNodeArgs } from "./server-node-args.mjs";

const port = process.env.PORT ?? "3000";
const dataDir = path.resolve(root, process.env.DATA_DIR ?? ".data");
const production = process.env.NODE_ENV === "production";

function sessionSecret() {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  if (production) {
    console.error("[start] NEXTAUTH_SECRET must be set when NODE_ENV=production (e.g. `openssl rand -base64 32`).");
    process.exit(1);
  }
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  await buildIfNeeded({ force: process.argv.includes("--rebuild") });
  console.log("[start] applying migrations and loading course content…");
  await run(bin("tsx"), ["db/seed-cli.ts"], process.env);
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_SECRET: sessionSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  };
  console.log(`[start] serving on http://localhost:${port}`);
  // scripts/serve.mjs is `next start` plus a client address the app can trust (sign-in throttling).
  const server = spawn(process.execPath, [...serverNodeArgs(env), path.join(root, "scripts", "serve.mjs"), "-p", port], { cwd: root, stdio: "inherit", env });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err) => {
  console.error("[start]", err.message);
  process.exit(1);
});
