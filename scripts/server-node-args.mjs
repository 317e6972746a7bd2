/**
 * The Node flags of the web server process, wherever it is started: `npm start` (scripts/start.mjs), the end-to-end
 * tests and `npm run bench:web` (tests/e2e/helpers/server.ts), so all three measure and run the same server.
 *
 * `--max-old-space-size`: V8 otherwise sizes the old generation from the machine's memory (about 4 GB here), and with
 * that much room it lets garbage from rendered pages pile up — the server grew by about 0.3 MB a request to over 1 GB
 * (bench:web). What the server keeps is far smaller: request bodies are streamed to disk or held in Buffers (outside
 * this heap), grading and dataset inspection run in child processes, and PGlite's memory is an ArrayBuffer.
 * WEB_MAX_OLD_SPACE_MB changes the limit (0 leaves it to V8).
 */
export const DEFAULT_WEB_MAX_OLD_SPACE_MB = 256;

export function serverNodeArgs(env = process.env) {
  const raw = env.WEB_MAX_OLD_SPACE_MB ?? String(DEFAULT_WEB_MAX_OLD_SPACE_MB);
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 0) throw new Error(`WEB_MAX_OLD_SPACE_MB must be a whole number of MB (got "${raw}")`);
  return mb === 0 ? [] : [`--max-old-space-size=${mb}`];
}
