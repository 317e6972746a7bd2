/**
 * Builds the Next.js app unless `.next` already holds a build of exactly these sources.
 * Shared by `npm start` and the end-to-end test setup, so neither builds twice.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
const BUILD_INPUTS = ["app", "domain", "lib", "db", "grader", "assignments", "env.ts", "instrumentation.ts", "middleware.ts", "next.config.mjs",
  "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const HASH_FILE = path.join(root, ".next", "tensorgrade-source-hash");

export const bin = (name) => path.join(root, "node_modules", ".bin", name);

function sourceHash() {
  const hash = crypto.createHash("sha256");
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (name !== "node_modules") walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p));
      hash.update(fs.readFileSync(p));
    }
  };
  for (const input of BUILD_INPUTS) walk(path.join(root, input));
  return hash.digest("hex");
}

export function run(cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${args.join(" ")} exited with ${code ?? signal}`)),
    );
  });
}

/** Returns true when it built. */
export async function buildIfNeeded({ force = false } = {}) {
  const hash = sourceHash();
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(HASH_FILE) &&
    fs.readFileSync(HASH_FILE, "utf8") === hash;
  if (built && !force) return false;
  console.log("[build] building the site (first start or sources changed)…");
  // NODE_ENV=test (set by vitest) would make Next build a broken bundle; a build is always production.
  await run(bin("next"), ["build"], { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
  fs.writeFileSync(HASH_FILE, hash);
  return true;
}
