import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");
const script = path.resolve("tests/grader/fixtures/train-steps.ts");

interface Trained {
  threads: number;
  losses: number[];
  weights: string;
}

/** Trains the fixture's CNN in a process of its own (the pool size is fixed when the backend starts). */
async function train(threads: number): Promise<Trained> {
  const { stdout } = await run(tsx, [script], {
    env: { ...process.env, TG_BACKEND: "wasm", TG_WASM_THREADS: String(threads) },
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Trained;
}

describe("the WebAssembly backend on several threads", () => {
  it("really runs a pool of two threads and trains to exactly the same weights as one thread", async () => {
    const [one, two] = await Promise.all([train(1), train(2)]);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.losses).toEqual(one.losses);
    expect(two.weights).toBe(one.weights);
    // The losses move: six Adam steps really trained something.
    expect(one.losses.at(-1)!).toBeLessThan(one.losses[0]!);
  }, 180_000);
});
