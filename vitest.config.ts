import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Training and PGlite are CPU-heavy; two cores means two files at once at most.
    maxWorkers: 2,
    pool: "forks",
  },
});
