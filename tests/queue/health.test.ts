import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { checkHealth } from "@/app/api/health/check-health";
import { createRedisConnection } from "@/grader/queue/redis-connection";
import type { DbHandle } from "@/db";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { announceSkipped } from "../helpers/services";

announceSkipped("the health check of a real Redis", ["REDIS_URL"]);

const REDIS_URL = process.env.REDIS_URL;

describe(`health check on ${dbDriverName}`, () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.close());

  it("is healthy with a reachable database and the embedded queue", async () => {
    const health = await checkHealth({ db: async () => h, redis: null });
    expect(health).toMatchObject({ ok: true, database: { ok: true, driver: h.driver }, queue: { mode: "embedded", ok: true } });
  });

  it("is unhealthy, naming the database, when the database does not answer", async () => {
    const broken = async () => {
      throw new Error("connection refused");
    };
    const health = await checkHealth({ db: broken, redis: null });
    expect(health.ok).toBe(false);
    expect(health.database).toMatchObject({ ok: false, problem: expect.stringMatching(/database unreachable/) });
  });

  it("is unhealthy, naming the queue, when Redis cannot be reached", async () => {
    const redis = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    redis.on("error", () => undefined); // the refused connection is the point of this test
    const health = await checkHealth({ db: async () => h, redis: async () => redis });
    redis.disconnect();
    expect(health.ok).toBe(false);
    expect(health.queue).toMatchObject({ mode: "bullmq", ok: false, problem: expect.stringMatching(/redis unreachable/) });
  });

  it.skipIf(!REDIS_URL)("reports Redis reachable and its eviction policy (needs REDIS_URL)", async () => {
    const redis = new Redis(REDIS_URL!);
    const health = await checkHealth({ db: async () => h, redis: async () => redis });
    redis.disconnect();
    expect(health).toMatchObject({ ok: true, queue: { mode: "bullmq", ok: true, evictionPolicy: "noeviction" } });
  });

  it.skipIf(!REDIS_URL)("reports Redis reachable on the first check after a start, while the connection is still opening (needs REDIS_URL)", async () => {
    // As the health route does: the web's own fail-fast producer connection is made when the check
    // first asks for it, and checked at once. It must wait for the connection, not call Redis unreachable.
    let redis: Redis | undefined;
    const firstConnection = async () => {
      redis = createRedisConnection(REDIS_URL!, "producer");
      redis.on("error", (err) => console.error("[test] redis:", err.message));
      expect(redis.status).not.toBe("ready");
      return redis;
    };
    try {
      const health = await checkHealth({ db: async () => h, redis: firstConnection });
      expect(health).toMatchObject({ ok: true, queue: { mode: "bullmq", ok: true } });
    } finally {
      redis?.disconnect();
    }
  });
});
