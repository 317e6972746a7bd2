import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb, dbDriverName } from "./helpers/test-db";
import type { DbHandle } from "@/db";
import { openDb } from "@/db";

describe(`migrations on ${dbDriverName}`, () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.close());

  it("creates every table the platform needs", async () => {
    const res = await h.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = (res as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
    for (const t of ["users", "courses", "enrollments", "lessons", "quizzes", "quiz_attempts", "submissions", "reports", "datasets"]) {
      expect(names).toContain(t);
    }
  });

  it("applies on a persistent PGlite directory twice without error (idempotent)", async () => {
    const dir = `/tmp/tg-pglite-${crypto.randomUUID()}`;
    const a = await openDb({ dataDir: dir });
    await a.close();
    const b = await openDb({ dataDir: dir });
    const res = await b.db.execute(sql`select count(*)::int as n from users`);
    expect((res as unknown as { rows: { n: number }[] }).rows[0].n).toBe(0);
    await b.close();
  });
});
