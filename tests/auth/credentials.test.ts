import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { users } from "@/db/schema";
import { createUser } from "@/domain/auth/create-user";
import { verifyCredentials } from "@/domain/auth/verify-credentials";
import { createTestDb, dbDriverName } from "../helpers/test-db";

describe(`password sign-in (${dbDriverName})`, () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb();
    await createUser(h.db, { email: "Ada@Example.org", name: "Ada", password: "correct horse battery" });
  });
  afterAll(async () => h.close());

  it("stores an argon2id hash, never the password", async () => {
    const [row] = await h.db.select().from(users).where(eq(users.email, "ada@example.org"));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("correct horse battery");
  });

  it("accepts the right password, whatever the email's case", async () => {
    const res = await verifyCredentials(h.db, " ADA@example.org ", "correct horse battery", "client-a");
    expect(res).toMatchObject({ ok: true, user: { email: "ada@example.org", role: "student" } });
  });

  it("answers a wrong password and an unknown email in exactly the same way", async () => {
    const wrong = await verifyCredentials(h.db, "ada@example.org", "wrong password", "client-b");
    const unknown = await verifyCredentials(h.db, "nobody@example.org", "wrong password", "client-c");
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("refuses a second account with the same email", async () => {
    await expect(createUser(h.db, { email: "ada@example.org", name: "Other", password: "something long" })).rejects.toThrow(
      /already exists/,
    );
  });
});
