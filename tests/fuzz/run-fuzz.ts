import { parseArgs } from "node:util";
import { startVitest } from "vitest/node";
import { z } from "zod";

/**
 * `npm run fuzz -- [--runs N] [--seed S] [file filter...]`: the property tests of tests/fuzz with many more cases than
 * `npm test` runs, and a fresh random seed each time unless one is given (fast-check prints the seed and the
 * shrunk counterexample of any failure; pass that seed back to replay it). The counts reach the tests through
 * vitest's `provide`/`inject`, not the environment.
 */
const { values, positionals } = parseArgs({
  options: { runs: { type: "string", default: "2000" }, seed: { type: "string" } },
  allowPositionals: true,
});
const args = z.object({
  runs: z.coerce.number().int().min(1).max(1_000_000),
  seed: z.coerce.number().int().optional(),
}).parse(values);

const vitest = await startVitest("test", positionals.length ? positionals : ["tests/fuzz/"], {
  run: true,
  // Minutes, not the default minute: 2,000 cases of every property take a while on two shared cores.
  testTimeout: 30 * 60_000,
  provide: { fuzzRuns: args.runs, ...(args.seed === undefined ? {} : { fuzzSeed: args.seed }) },
});
const failed = vitest.state.getCountOfFailedTests() > 0 || vitest.state.getUnhandledErrors().length > 0;
await vitest.close();
process.exit(failed ? 1 : 0);
