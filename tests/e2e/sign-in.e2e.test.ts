import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "pg";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { startServer, type TestServer } from "./helpers/server";
import { trySignInFrom, type Account, type ClientOrigin } from "./helpers/http-session";
import { announceSkipped } from "../helpers/services";

// A PGlite server's database lives inside the server process: nothing outside can take it away
// while the server runs, so the database-down case needs a real Postgres.
announceSkipped("sign-in with the database unreachable", ["DATABASE_URL"]);

/**
 * Sign-in against a running server (scripts/serve.mjs, as `npm start` runs it). Every request
 * really comes from the loopback address it names — Linux routes all of 127.0.0.0/8 to lo — so the
 * server sees distinct socket addresses, the way it sees distinct machines.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `error` code of a sign-in answer's redirect, e.g. "CredentialsSignin" or "TooManySignIns-4". */
function errorCode(location: string | null): string | null {
  return location ? new URL(location, "http://x").searchParams.get("error") : null;
}

function waitOf(location: string | null): number | null {
  const m = /^TooManySignIns-(\d+)$/.exec(errorCode(location) ?? "");
  return m ? Number(m[1]) : null;
}

/**
 * Sends wrong passwords for `email` until `failures` of them have been checked, each one as soon
 * as the server allows (sleeping through every announced wait). `from(i)` says where attempt i
 * comes from. Returns the waits announced on the way.
 */
async function failRepeatedly(base: string, email: string, failures: number, from: (i: number) => ClientOrigin): Promise<number[]> {
  const waits: number[] = [];
  let checked = 0;
  for (let i = 0; checked < failures; i++) {
    const res = await trySignInFrom(base, { email, password: "a wrong guess" }, from(i));
    const wait = waitOf(res.location);
    if (wait !== null) {
      waits.push(wait);
      await sleep(wait * 1000 + 100);
    } else {
      expect(errorCode(res.location)).toBe("CredentialsSignin");
      checked++;
    }
  }
  return waits;
}

const signedIn = (res: { cookie: string }) => res.cookie.includes("session-token");

let rotation = 0;
/** A new X-Forwarded-For and a forged socket-address header on every request. */
const rotatingHeaders = (): Record<string, string> => {
  rotation++;
  return { "x-forwarded-for": `203.0.113.${rotation % 250}`, "x-tensorgrade-socket-address": `198.51.100.${rotation % 250}` };
};

describe("sign-in throttling and errors against a running server (no trusted proxy)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  }, 900_000);
  afterAll(async () => server?.stop());

  it("lets the owner sign in at once from another address after 7 wrong passwords from an attacker, whose wait keeps growing", async () => {
    const attacker: ClientOrigin = { localAddress: "127.0.0.1" };
    const waits = await failRepeatedly(server.url, DEMO_STUDENT.email, 7, () => attacker);

    const owner = await trySignInFrom(server.url, DEMO_STUDENT, { localAddress: "127.0.0.2" });
    expect(signedIn(owner)).toBe(true);

    // After 7 failures the attacker's address waits 16 s (less the time its last check took),
    // longer than any wait it was told before: even the right password is refused for now.
    const probe = await trySignInFrom(server.url, DEMO_STUDENT, attacker);
    expect(signedIn(probe)).toBe(false);
    const finalWait = waitOf(probe.location);
    expect(finalWait).toBeGreaterThanOrEqual(8);
    expect(Math.max(...waits)).toBeLessThan(finalWait ?? 0);
  }, 180_000);

  it("ignores X-Forwarded-For and a forged socket-address header from a client that is not a trusted proxy", async () => {
    // Every attempt claims to come from somewhere new; all of them come from 127.0.0.3.
    await failRepeatedly(server.url, DEMO_INSTRUCTOR.email, 5, () => ({ localAddress: "127.0.0.3", headers: rotatingHeaders() }));
    // After 5 failures the pair waits 4 s: yet another claimed address does not reset it.
    const probe = await trySignInFrom(server.url, DEMO_INSTRUCTOR, { localAddress: "127.0.0.3", headers: rotatingHeaders() });
    expect(signedIn(probe)).toBe(false);
    expect(waitOf(probe.location)).toBeGreaterThanOrEqual(1);
    // The instructor's own address was never slowed.
    const owner = await trySignInFrom(server.url, DEMO_INSTRUCTOR, { localAddress: "127.0.0.4" });
    expect(signedIn(owner)).toBe(true);
  }, 180_000);

  // Last in this block: it cuts the server off from its database.
  it.skipIf(!process.env.DATABASE_URL)(
    "answers a sign-in with a fixed message and no SQL or email when the database is unreachable",
    async () => {
      const dbName = new URL(server.databaseUrl ?? "").pathname.slice(1);
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      try {
        // The server's pool loses its connections and cannot open new ones: Postgres is down for it.
        await admin.query(`alter database "${dbName}" with allow_connections false`);
        await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [dbName]);

        const victim: Account = { email: "someone.private@example.org", password: "whatever it is" };
        const res = await trySignInFrom(server.url, victim, { localAddress: "127.0.0.5" });
        expect(signedIn(res)).toBe(false);
        expect(errorCode(res.location)).toBe("SignInUnavailable");

        // Follow the redirects to the page a browser would show.
        let location = res.location;
        let page = { status: 0, body: "" };
        for (let hop = 0; hop < 5 && location; hop++) {
          const r = await fetch(new URL(location, server.url), { redirect: "manual" });
          page = { status: r.status, body: await r.text() };
          location = r.headers.get("location");
        }
        expect(page.status).toBe(200);
        expect(page.body).toContain("Sign-in is unavailable right now. Please try again in a few minutes.");

        for (const text of [res.location ?? "", res.body, page.body]) {
          expect(text).not.toMatch(/failed query|login_attempts|from "users"|params:/i);
          expect(text).not.toContain("someone.private");
        }
        // The details are in the server's log, with the subsystem prefix.
        expect(server.logs()).toMatch(/\[auth\] password sign-in could not be checked: [\s\S]*(is not currently accepting connections|terminating connection due to administrator command)/);
      } finally {
        await admin.query(`alter database "${dbName}" with allow_connections true`);
        await admin.end();
      }
    },
    120_000,
  );
});

describe("sign-in throttling behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ TRUSTED_PROXIES: "127.0.0.1" });
  }, 900_000);
  afterAll(async () => server?.stop());

  it("counts the address the proxy forwarded, so the owner behind the same proxy is not slowed by an attacker", async () => {
    // Both come through the "proxy" at 127.0.0.1; X-Forwarded-For says who they are.
    const viaProxy = (client: string): ClientOrigin => ({ localAddress: "127.0.0.1", headers: { "x-forwarded-for": client } });
    await failRepeatedly(server.url, DEMO_STUDENT.email, 5, () => viaProxy("203.0.113.66"));

    const attacker = await trySignInFrom(server.url, DEMO_STUDENT, viaProxy("203.0.113.66"));
    expect(signedIn(attacker)).toBe(false);
    expect(waitOf(attacker.location)).toBeGreaterThanOrEqual(1);

    const owner = await trySignInFrom(server.url, DEMO_STUDENT, viaProxy("203.0.113.77"));
    expect(signedIn(owner)).toBe(true);
  }, 180_000);
});
