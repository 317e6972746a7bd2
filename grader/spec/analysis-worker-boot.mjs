/**
 * Starts an analysis worker thread from TypeScript source. Node 20 does not apply `--import tsx` from a Worker's
 * execArgv to the worker's own entry, so the worker registers tsx itself and then imports the TypeScript entry named
 * in workerData (the real one, or a test's). Plain JavaScript, outside the Next.js bundle: `next start` and vitest
 * load it the same way, as the grader's child processes load grader/worker/grade-child.ts.
 */
import { workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
await import(pathToFileURL(workerData.entry).href);
