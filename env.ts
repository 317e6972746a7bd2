import { isIP } from "node:net";
import { z } from "zod";

/** `1.2.3.4`, `::1`, `10.0.0.0/8` or `2001:db8::/32`: what TRUSTED_PROXIES may list. */
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Every environment variable the platform reads, validated once. Nothing else reads `process.env`.
 * Unset variables fall back to the embedded defaults described in docs/architecture.md.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Postgres connection string. Unset: PGlite (Postgres in WebAssembly) under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Redis for BullMQ. Unset: an in-process runner claims queued submissions from the database. */
  REDIS_URL: z.string().url().optional(),
  /** Where PGlite, uploaded blobs and the decoded dataset cache live. */
  DATA_DIR: z.string().default(".data"),
  /** Signs session cookies. Required in production; development generates one under DATA_DIR. */
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  /** Seed the demo instructor and student. Defaults to on outside production, and is ignored in production. */
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  /** Optional GitHub OAuth sign-in. */
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  /** Optional OIDC sign-in (any OpenID Connect issuer). */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** Force a compute backend: gpu | node | wasm. Unset: the best one that loads. */
  TG_BACKEND: z.enum(["gpu", "node", "wasm"]).optional(),
  /**
   * The faster WebAssembly training kernels (grader/backend/fast-kernels). `off` keeps the backend's own kernels and
   * the gap-filling ones, to measure the speed-up or rule the fast kernels out when a result looks wrong.
   */
  TG_WASM_FAST_KERNELS: z.enum(["on", "off"]).default("on"),
  /**
   * Threads of the WebAssembly backend's XNNPACK pool in a process that trains (grader/backend/wasm-threads.ts): 1 runs
   * the single-threaded SIMD build. Unset: 1 in-process; a grader gives a child that starts while no other job runs
   * every core, and the others one thread (grader/worker/default-concurrency.ts, wasmThreadsWhenAlone). Set, it is the
   * lone job's thread count.
   */
  TG_WASM_THREADS: z.coerce.number().int().min(1).max(8).optional(),
  /** Jobs per grader process. Unset: one per core (1 with TG_BACKEND=gpu); see grader/worker/default-concurrency.ts. */
  GRADER_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /**
   * Key prefix of the BullMQ queue in Redis. Several deployments (or parallel test files) can share
   * one Redis by using different prefixes.
   */
  GRADER_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("tg"),
  /**
   * How long a grader may stay silent (no heartbeat, no BullMQ lock renewal) before its job is
   * presumed orphaned and handed to another worker. Small in tests, generous in production.
   */
  GRADER_LIVENESS_MS: z.coerce.number().int().min(300).default(30_000),
  /** How long SIGTERM/SIGINT waits for a running job before handing it back to the queue. */
  GRADER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000),
  /**
   * Reverse proxies in front of the site, as comma-separated addresses or CIDR ranges
   * (`10.0.0.0/8, 2001:db8::/32`). Sign-in throttling believes an X-Forwarded-For hop only when the
   * hop after it is one of these. Unset: none, so the client is the TCP peer and X-Forwarded-For
   * (which anyone can send) is ignored. See app/_lib/auth/client-address.ts.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isAddressOrCidr, (v) => ({ message: `"${v}" is not an IP address or CIDR range` })))),
  /**
   * Set to 1 by scripts/serve.mjs in its own process, never by hand: it says every request carries
   * the TCP peer's address in a header the server stamped itself (see scripts/serve.mjs).
   */
  TG_SOCKET_ADDRESS_STAMPED: z.enum(["1"]).optional(),
  /**
   * How often LTI grade passback's safety net compares every linked gradebook with what each LMS was
   * last sent (score changes themselves are sent by a job each, at once); 0 turns it off.
   */
  LTI_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(10 * 60_000),
  /** Set by Next.js while `next build` runs: background work (the embedded grader) must not start then. */
  NEXT_PHASE: z.string().optional(),
  /**
   * The repository root, for files named relative to it (the registry's pretrained bases). Set by the
   * grader for its training child processes, which run in a scratch working directory; unset: the
   * working directory (`npm start`, the worker and the CLI all run from the root).
   */
  TG_PROJECT_ROOT: z.string().optional(),
  /** Fashion-MNIST's IDX files (Debian's dataset-fashion-mnist puts them here), for `datasets:export` and the own-dataset tests. */
  TG_FASHION_MNIST_DIR: z.string().default("/usr/share/datasets/fashion-mnist"),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = load();

/**
 * The named variables of this process's environment that are set, for a child process that must
 * not inherit the rest (grader/worker/child-process-grader.ts). The one other read of process.env.
 */
export function pickEnv(names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
