import { Redis } from "ioredis";

/**
 * A Redis connection for BullMQ. Workers and QueueEvents block on Redis commands, so BullMQ requires
 * `maxRetriesPerRequest: null` for them; a producer (the web) fails fast instead, so a submit never
 * hangs while Redis is down (the reconciler enqueues the row later).
 */
export function createRedisConnection(redisUrl: string, role: "worker" | "producer"): Redis {
  return new Redis(redisUrl, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: false,
  });
}

/** Raised when Redis would silently drop queue keys under memory pressure. */
export class RedisEvictionPolicyError extends Error {
  constructor(readonly policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}", but the grading queue needs "noeviction": with any other ` +
        `policy Redis may delete queued jobs when memory runs low. Run ` +
        `"redis-cli config set maxmemory-policy noeviction" (and set it in redis.conf) before starting graders.`,
    );
    this.name = "RedisEvictionPolicyError";
  }
}

/** The one command the policy check needs; satisfied by a Redis or a Cluster client. */
export interface RedisCommander {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Reads `maxmemory-policy` from a live Redis. */
export async function readEvictionPolicy(redis: RedisCommander): Promise<string> {
  const reply = (await redis.call("CONFIG", "GET", "maxmemory-policy")) as unknown;
  // CONFIG GET answers [name, value] (RESP2) or a map (RESP3).
  if (Array.isArray(reply) && typeof reply[1] === "string") return reply[1];
  if (reply && typeof reply === "object" && "maxmemory-policy" in reply) {
    return String((reply as Record<string, unknown>)["maxmemory-policy"]);
  }
  throw new Error(`unexpected CONFIG GET maxmemory-policy reply: ${JSON.stringify(reply)}`);
}

/**
 * Refuses to run against a Redis that may evict keys.
 * @see ../../../shared/ARCHITECTURE.md "Scaling past one machine"
 */
export async function assertNoEviction(redis: RedisCommander): Promise<void> {
  const policy = await readEvictionPolicy(redis);
  if (policy !== "noeviction") throw new RedisEvictionPolicyError(policy);
}
