import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { announceSkipped } from "../helpers/services";

announceSkipped("closing the grading queue lets the process exit", ["REDIS_URL"]);

const REDIS_URL = process.env.REDIS_URL;
const FIXTURE = path.join(import.meta.dirname, "fixtures", "open-and-close-queue.ts");
/** Far more than a close needs; a held connection keeps the process alive until this kills it. */
const EXIT_WITHIN_MS = 30_000;

describe.skipIf(!REDIS_URL)("grading queue (needs REDIS_URL)", () => {
  it("lets a script exit on its own once it has closed the queue", async () => {
    const prefix = `tgtest-close-${crypto.randomUUID().slice(0, 8)}`;
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, REDIS_URL!, prefix], { cwd: process.cwd() });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const ended = await new Promise<{ code: number | null; killed: boolean }>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve({ code: null, killed: true });
      }, EXIT_WITHIN_MS);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, killed: false });
      });
    });
    expect(out).toContain("closed");
    expect(ended, `the process was still running ${EXIT_WITHIN_MS / 1000} s after closing the queue:\n${out}`).toEqual({ code: 0, killed: false });
  }, 60_000);
});
