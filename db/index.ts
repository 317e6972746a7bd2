import path from "node:path";
import fs from "node:fs";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/env";
import * as schema from "./schema";

export { schema };

/** One type for both drivers: node-postgres and PGlite share the pg-core query builder. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface DbHandle {
  db: Db;
  driver: "pg" | "pglite";
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
/** Any fixed number: serialises concurrent migrators (several test workers, several grader hosts). */
const MIGRATION_LOCK_ID = 0x7e45_06;

/**
 * Opens a database: Postgres through `pg` when a URL is given, else PGlite (in `dataDir`, or in
 * memory when `dataDir` is "memory://"). Applies the committed migrations before returning.
 */
export async function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const { Pool, Client } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    const lockClient = new Client({ connectionString: opts.databaseUrl });
    await lockClient.connect();
    try {
      await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
      await migrate(drizzle(lockClient, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
      await lockClient.end();
    }
    const pool = new Pool({ connectionString: opts.databaseUrl, max: 10 });
    // A Postgres restart kills idle clients; without this listener the process would crash.
    pool.on("error", (err) => console.error("[db] idle client error:", err.message));
    const db = drizzle(pool, { schema }) as unknown as Db;
    return { db, driver: "pg", close: () => pool.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const dataDir = opts.dataDir ?? path.join(env.DATA_DIR, "pglite");
  if (dataDir !== "memory://") fs.mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: db as unknown as Db, driver: "pglite", close: () => client.close() };
}

const globalForDb = globalThis as unknown as { tgDb?: Promise<DbHandle> };

/** The process-wide database, opened on first use and cached on `globalThis` (one per process). */
export function getDbHandle(): Promise<DbHandle> {
  globalForDb.tgDb ??= openDb({ databaseUrl: env.DATABASE_URL });
  return globalForDb.tgDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Closes the process-wide database (worker shutdown, tests). */
export async function closeDb(): Promise<void> {
  const handle = globalForDb.tgDb;
  globalForDb.tgDb = undefined;
  if (handle) await (await handle).close();
}
