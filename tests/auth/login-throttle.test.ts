import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { like } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { loginAttempts } from "@/db/schema";
import { createUser } from "@/domain/auth/create-user";
import { verifyCredentials } from "@/domain/auth/verify-credentials";
import { CLIENT_BACKOFF, LOGIN_FORGET_MS, PAIR_BACKOFF } from "@/db/queries/users/rate-limit-login";
import { createTestDb, dbDriverName } from "../helpers/test-db";

const PASSWORD = "the owner's long password";
const OWNER_ELSEWHERE = "203.0.113.20";

describe(`sign-in throttling by (account, client) (${dbDriverName})`, () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.close());

  let n = 0;
  /** A client address of its own for each test, so one test's failures never count in another. */
  const newClient = () => `198.51.100.${++n}`;
  async function newAccount(): Promise<string> {
    const email = `student${++n}@example.org`;
    await createUser(h.db, { email, name: `Student ${n}`, password: PASSWORD });
    return email;
  }

  /**
   * Sends a wrong password from `client` at `at`, or as soon after as the server lets it: returns
   * how long it had to wait first (0 when it could try at once) and when it tried.
   */
  async function wrongPasswordAsSoonAsAllowed(email: string, client: string, at: Date) {
    const first = await verifyCredentials(h.db, email, "a wrong guess", client, at);
    if (first.ok) throw new Error("a wrong password was accepted");
    if (first.reason === "invalid") return { waited: 0, at };
    const later = new Date(at.getTime() + first.retryAfterSeconds * 1000);
    const second = await verifyCredentials(h.db, email, "a wrong guess", client, later);
    expect(second).toEqual({ ok: false, reason: "invalid" });
    return { waited: first.retryAfterSeconds, at: later };
  }

  it("lets the owner sign in at once from another client after 7 wrong passwords from an attacker, while the attacker's waits double", async () => {
    const ATTACKER = newClient();
    const email = await newAccount();
    let at = new Date("2026-01-10T09:00:00Z");
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const attempt = await wrongPasswordAsSoonAsAllowed(email, ATTACKER, at);
      waits.push(attempt.waited);
      at = attempt.at;
    }
    // Three free tries, then 1 s, 2 s, 4 s, 8 s before the 4th … 7th.
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8]);

    const owner = await verifyCredentials(h.db, email, PASSWORD, OWNER_ELSEWHERE, at);
    expect(owner).toMatchObject({ ok: true, user: { email } });

    // The attacker's client must now wait 16 s, even with the right password …
    const attackerNow = await verifyCredentials(h.db, email, PASSWORD, ATTACKER, at);
    expect(attackerNow).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 16 });
    // … and it is a wait, not a lock: afterwards the right password works from there too.
    const attackerLater = await verifyCredentials(h.db, email, PASSWORD, ATTACKER, new Date(at.getTime() + 16_000));
    expect(attackerLater).toMatchObject({ ok: true });
  });

  it("never makes a client wait longer than the cap, however many failures it piles up", async () => {
    const ATTACKER = newClient();
    const email = await newAccount();
    let at = new Date("2026-01-10T10:00:00Z");
    let longest = 0;
    for (let i = 0; i < 20; i++) {
      const attempt = await wrongPasswordAsSoonAsAllowed(email, ATTACKER, at);
      longest = Math.max(longest, attempt.waited);
      at = attempt.at;
    }
    expect(longest).toBe(PAIR_BACKOFF.maxWaitMs / 1000);
    const after = await verifyCredentials(h.db, email, PASSWORD, ATTACKER, new Date(at.getTime() + PAIR_BACKOFF.maxWaitMs));
    expect(after).toMatchObject({ ok: true });
  });

  it("forgets a run of failures after a quiet hour", async () => {
    const ATTACKER = newClient();
    const email = await newAccount();
    const at = new Date("2026-01-10T11:00:00Z");
    for (let i = 0; i < PAIR_BACKOFF.freeFailures; i++) await verifyCredentials(h.db, email, "nope", ATTACKER, at);
    expect(await verifyCredentials(h.db, email, "nope", ATTACKER, at)).toMatchObject({ reason: "throttled" });
    const anHourLater = new Date(at.getTime() + LOGIN_FORGET_MS + 1000);
    expect(await verifyCredentials(h.db, email, "nope", ATTACKER, anHourLater)).toEqual({ ok: false, reason: "invalid" });
  });

  it("throttles an unknown email exactly like a real account, so waits reveal nothing", async () => {
    const ATTACKER = newClient();
    const real = await newAccount();
    const at = new Date("2026-01-10T12:00:00Z");
    const answers = async (email: string) => {
      const out = [];
      for (let i = 0; i < PAIR_BACKOFF.freeFailures + 1; i++) out.push(await verifyCredentials(h.db, email, "nope", ATTACKER, at));
      return out;
    };
    expect(await answers("nobody-here@example.org")).toEqual(await answers(real));
  });

  it("checks at most the free number of passwords when a burst of guesses arrives at once", async () => {
    const ATTACKER = newClient();
    const email = await newAccount();
    const at = new Date("2026-01-10T13:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => verifyCredentials(h.db, email, "parallel guess", ATTACKER, at)),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(PAIR_BACKOFF.freeFailures);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(10 - PAIR_BACKOFF.freeFailures);
  });

  it("slows a client that tries one password on many accounts, but no other client", async () => {
    const stuffer = "192.0.2.66";
    const victim = await newAccount();
    const at = new Date("2026-01-10T14:00:00Z");
    for (let i = 0; i < CLIENT_BACKOFF.freeFailures; i++) {
      expect(await verifyCredentials(h.db, `leaked${i}@example.org`, "password123", stuffer, at)).toEqual({ ok: false, reason: "invalid" });
    }
    // Past the looser per-client allowance: even an account it never tried is out of reach for now.
    expect(await verifyCredentials(h.db, victim, PASSWORD, stuffer, at)).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 1 });
    expect(await verifyCredentials(h.db, victim, PASSWORD, OWNER_ELSEWHERE, at)).toMatchObject({ ok: true });
  });

  it("does not let a client reset its count across accounts by signing in to an account of its own", async () => {
    const stuffer = "192.0.2.77";
    const own = await newAccount();
    const at = new Date("2026-01-10T15:00:00Z");
    for (let i = 0; i < CLIENT_BACKOFF.freeFailures - 1; i++) {
      await verifyCredentials(h.db, `other${i}@example.org`, "password123", stuffer, at);
    }
    expect(await verifyCredentials(h.db, own, PASSWORD, stuffer, at)).toMatchObject({ ok: true });
    // The success did not take the 29 failures away: one more makes 30, and then the client must wait.
    expect(await verifyCredentials(h.db, "another@example.org", "password123", stuffer, at)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyCredentials(h.db, "yet-another@example.org", "password123", stuffer, at)).toMatchObject({ reason: "throttled" });
  });

  it("sweeps the rows of forgotten runs, so the table does not keep every address and email ever tried", async () => {
    const at = new Date("2026-02-01T00:00:00Z");
    for (let i = 0; i < 5; i++) await verifyCredentials(h.db, "swept@example.org", "nope", newClient(), at);
    const rowsOf = async () => (await h.db.select().from(loginAttempts).where(like(loginAttempts.key, "pair:swept@example.org %"))).length;
    expect(await rowsOf()).toBe(5);
    const later = new Date(at.getTime() + LOGIN_FORGET_MS + 60_000);
    // Each attempt sweeps up to 100 forgotten rows; this file's earlier tests left some too.
    for (let i = 0; i < 3; i++) await verifyCredentials(h.db, "someone-else@example.org", "nope", newClient(), later);
    expect(await rowsOf()).toBe(0);
  });
});
