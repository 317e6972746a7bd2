import type { Redis } from "ioredis";
import type { Db } from "@/db";
import { pingDatabase } from "@/db/queries/health/ping-database";
import { readEvictionPolicy, whenReady } from "@/grader/queue/redis-connection";

/** A dependency's answer counts as down after this long: a health check must answer quickly. */
const CHECK_TIMEOUT_MS = 2_000;

export interface ComponentHealth {
  ok: boolean;
  latencyMs: number;
  /** Why it is not ok, in words an operator can act on (no connection strings). */
  problem?: string;
}

export interface Health {
  ok: boolean;
  database: ComponentHealth & { driver: "pg" | "pglite" };
  queue: (ComponentHealth & { mode: "bullmq"; evictionPolicy?: string }) | { mode: "embedded"; ok: true };
}

async function timed<T>(what: string, f: () => Promise<T>): Promise<{ value?: T; latencyMs: number; problem?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      f(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { value, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    console.error(`[health] ${what} check failed:`, (e as Error).message);
    return { latencyMs: Math.round(performance.now() - started), problem: `${what} unreachable: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks that the database answers a query and, when grading runs on Redis, that Redis answers and
 * will not evict queue keys. With no Redis the queue is the database itself (embedded runner).
 */
export async function checkHealth(deps: {
  db: () => Promise<{ db: Db; driver: "pg" | "pglite" }>;
  redis: (() => Promise<Redis>) | null;
}): Promise<Health> {
  let driver: "pg" | "pglite" = "pglite";
  const dbCheck = await timed("database", async () => {
    const handle = await deps.db();
    driver = handle.driver;
    await pingDatabase(handle.db);
  });
  const database = { ok: !dbCheck.problem, latencyMs: dbCheck.latencyMs, driver, ...(dbCheck.problem ? { problem: dbCheck.problem } : {}) };

  if (!deps.redis) return { ok: database.ok, database, queue: { mode: "embedded", ok: true } };
  const redisDep = deps.redis;
  const redisCheck = await timed("redis", async () => {
    const redis = await redisDep();
    // The process's connection may still be opening (the first check after a start): wait for it
    // within the check's own time limit rather than calling a healthy Redis unreachable.
    await whenReady(redis, CHECK_TIMEOUT_MS);
    await redis.ping();
    return readEvictionPolicy(redis);
  });
  const policy = redisCheck.value;
  const problem =
    redisCheck.problem ??
    (policy !== "noeviction" ? `redis maxmemory-policy is "${policy}"; the queue needs "noeviction"` : undefined);
  const queue = {
    mode: "bullmq" as const,
    ok: !problem,
    latencyMs: redisCheck.latencyMs,
    ...(policy ? { evictionPolicy: policy } : {}),
    ...(problem ? { problem } : {}),
  };
  return { ok: database.ok && queue.ok, database, queue };
}
