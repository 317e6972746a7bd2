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
    // CI asks for a JSON report beside the usual output, to print one "N passed, N failed" line.
    ...(process.env.TG_TEST_REPORT
      ? { reporters: ["default", "json"], outputFile: { json: process.env.TG_TEST_REPORT } }
      : {}),
  },
});
