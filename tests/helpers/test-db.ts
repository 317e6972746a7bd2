import { Client } from "pg";
import { openDb, type DbHandle } from "@/db";

/**
 * A fresh, migrated database for one test file: a new Postgres database when DATABASE_URL is set
 * (dropped again by `close`), otherwise an in-memory PGlite.
 */
export async function createTestDb(): Promise<DbHandle & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) return openDb({ dataDir: "memory://" });
  const name = `tg_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDb({ databaseUrl: url.toString() });
  return {
    ...handle,
    /** The fresh database's URL, for child processes (grader workers) that must share it. */
    url: url.toString(),
    async close() {
      await handle.close();
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The driver the suite runs against, for test names and skip messages. */
export const dbDriverName = process.env.DATABASE_URL ? "Postgres" : "PGlite";
