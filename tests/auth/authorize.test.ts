import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/db";
import { createUser } from "@/domain/auth/create-user";
import { authorizeWithPassword } from "@/app/_lib/auth/options";
import { signInErrorMessage } from "@/app/_lib/auth/sign-in-errors";
import { createTestDb, dbDriverName } from "../helpers/test-db";

/**
 * What next-auth's credentials `authorize` hands back. Whatever it throws becomes `?error=<message>`
 * in the redirect URL (next-auth/core/routes/callback.js), so that message is what a user sees.
 */
describe(`password sign-in as next-auth calls it (${dbDriverName})`, () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb();
    await createUser(h.db, { email: "cy@example.org", name: "Cy", password: "cy's long password" });
  });
  afterAll(async () => h.close());
  const db = async () => h.db;

  it("returns the user for the right password and null (next-auth's CredentialsSignin) for a wrong one", async () => {
    expect(await authorizeWithPassword({ email: "cy@example.org", password: "cy's long password" }, {}, db)).toMatchObject({
      email: "cy@example.org",
    });
    expect(await authorizeWithPassword({ email: "cy@example.org", password: "nope" }, {}, db)).toBeNull();
    expect(await authorizeWithPassword({ email: "not an email", password: "x" }, {}, db)).toBeNull();
  });

  it("throws a fixed code when the client must wait, which the page turns into a sentence", async () => {
    const wrong = { email: "dee@example.org", password: "nope" };
    let thrown: unknown;
    for (let i = 0; i < 10 && !thrown; i++) {
      await authorizeWithPassword(wrong, {}, db).catch((err: unknown) => (thrown = err));
    }
    expect((thrown as Error).message).toMatch(/^TooManySignIns-\d+$/);
    expect(signInErrorMessage((thrown as Error).message)).toMatch(/^Too many failed sign-ins\. Try again in \d+ seconds?\.$/);
  });

  it("throws only 'SignInUnavailable' when the database fails, and logs the details with [auth]", async () => {
    const broken = await createTestDb();
    await broken.close(); // every query on it now fails, as on a database that went away
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const err = await authorizeWithPassword({ email: "someone.private@example.org", password: "x" }, {}, async () => broken.db).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toBe("SignInUnavailable");
      expect(signInErrorMessage(err?.message)).toBe("Sign-in is unavailable right now. Please try again in a few minutes.");
      expect(logged).toHaveBeenCalledWith("[auth] password sign-in could not be checked:", expect.any(Error));
    } finally {
      logged.mockRestore();
    }
  });
});
