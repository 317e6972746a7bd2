import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  // tsconfig says jsx "preserve" (Next compiles JSX itself); tests that render components need it compiled.
  oxc: { jsx: { runtime: "automatic" } },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Training and PGlite are CPU-heavy; two cores means two files at once at most.
    maxWorkers: 2,
    pool: "forks",
    // Two files may grade at once: their grading children train on one WebAssembly thread each rather than each
    // taking both cores (tests that are about threads pass threadsWhenAlone or TG_WASM_THREADS themselves).
    env: { TG_WASM_THREADS: "1" },
    // CI asks for a JSON report beside the usual output, to print one "N passed, N failed" line.
    ...(process.env.TG_TEST_REPORT
      ? { reporters: ["default", "json"], outputFile: { json: process.env.TG_TEST_REPORT } }
      : {}),
  },
});
