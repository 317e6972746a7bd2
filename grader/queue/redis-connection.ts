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

/**
 * Resolves once `redis` can take commands. A producer connection refuses commands while it is still
 * connecting (no offline queue, by design), so whoever needs an answer right after the connection
 * was made — the first health check after a start — waits here first. A lazy connection is opened;
 * the first connection error, a closed connection or `timeoutMs` without a connection rejects.
 */
export function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const settle = (err?: Error) => {
      clearTimeout(timer);
      redis.off("ready", onReady);
      redis.off("error", onError);
      redis.off("end", onEnd);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => settle();
    const onError = (err: Error) => settle(err);
    const onEnd = () => settle(new Error("the connection was closed"));
    const timer = setTimeout(() => settle(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
    redis.on("ready", onReady);
    redis.on("error", onError);
    redis.on("end", onEnd);
    // A lazy client connects on demand; its failure also arrives as an "error" event, handled above.
    if (redis.status === "wait") redis.connect().then(onReady, onError);
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
 * @see docs/architecture.md, "Scaling past one machine"
 */
export async function assertNoEviction(redis: RedisCommander): Promise<void> {
  const policy = await readEvictionPolicy(redis);
  if (policy !== "noeviction") throw new RedisEvictionPolicyError(policy);
}
