import { NextResponse } from "next/server";
import type { Redis } from "ioredis";
import { getDbHandle } from "@/db";
import { env } from "@/env";
import { createRedisConnection } from "@/grader/queue/redis-connection";
import { checkHealth } from "./check-health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const globalForHealth = globalThis as unknown as { tgHealthRedis?: Redis };

/** One fail-fast connection per process for health checks, opened on the first check. */
function healthRedis(url: string): Redis {
  if (!globalForHealth.tgHealthRedis) {
    const redis = createRedisConnection(url, "producer");
    // The failed check reports the outage; this listener keeps ioredis from raising it as unhandled.
    redis.on("error", (err) => console.error("[health] redis:", err.message));
    globalForHealth.tgHealthRedis = redis;
  }
  return globalForHealth.tgHealthRedis;
}

/**
 * Liveness for load balancers and operators: 200 when the database (and, with Redis, the queue) is
 * reachable, else 503. Deliberately open to anyone, like any health endpoint: it names no hosts,
 * users or submissions, only which dependency is down.
 */
export async function GET(): Promise<Response> {
  const redisUrl = env.REDIS_URL;
  const health = await checkHealth({
    db: getDbHandle,
    redis: redisUrl ? async () => healthRedis(redisUrl) : null,
  });
  return NextResponse.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
