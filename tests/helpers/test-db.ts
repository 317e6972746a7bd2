import { openDb, type DbHandle } from "@/db";
import { createScratchDatabase } from "./scratch-postgres";

/**
 * A fresh, migrated database for one test file: a new Postgres database when DATABASE_URL is set
 * (dropped again by `close`), otherwise an in-memory PGlite.
 */
export async function createTestDb(): Promise<DbHandle & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) return openDb({ dataDir: "memory://" });
  const scratch = await createScratchDatabase(base, "tg_test");
  const handle = await openDb({ databaseUrl: scratch.url });
  return {
    ...handle,
    /** The scratch database's URL, for child processes (grader workers) that must share it. */
    url: scratch.url,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}

/** The driver the suite runs against, for test names and skip messages. */
export const dbDriverName = process.env.DATABASE_URL ? "Postgres" : "PGlite";
