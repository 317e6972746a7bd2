import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";

/**
 * Child entries run as plain JavaScript: each TypeScript entry is bundled by esbuild into one ES module the first
 * time this process starts a child from it, and every later child of the process reuses the file. Under tsx a child
 * compiled each of the hundred-odd grader modules at start-up; the bundle is one file Node loads as it is. npm
 * packages stay outside it (`packages: "external"`), imported from node_modules as before — TF.js's WebAssembly
 * backend finds its .wasm files beside its own module, and native addons (sharp, argon2) cannot be bundled.
 *
 * The bundle lives in node_modules/.cache/tensorgrade (the usual place for build caches), so the packages it imports
 * resolve from the repository's node_modules whatever the child's working directory is. Its name carries a hash of its
 * content: two processes built from the same sources share one file, and a change to the sources gives a new one
 * instead of a half-replaced file. A process picks up source changes when it restarts (as a tsx child did).
 */

const built = new Map<string, string>();

/**
 * The compiled JavaScript module for a TypeScript child entry (`@/` paths resolved with the repository's
 * tsconfig.json), built on first use in this process.
 */
export function compiledChildEntry(entry: string, projectRoot: string): string {
  const cached = built.get(entry);
  if (cached && fs.existsSync(cached)) return cached;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(projectRoot, "tsconfig.json"),
    // Error classes name themselves after their constructor (`new.target.name`), which the protocol passes on.
    keepNames: true,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const dir = path.join(projectRoot, "node_modules", ".cache", "tensorgrade");
  const file = path.join(dir, `${path.basename(entry).replace(/\.[cm]?tsx?$/, "")}-${hash}.mjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  }
  built.set(entry, file);
  return file;
}
