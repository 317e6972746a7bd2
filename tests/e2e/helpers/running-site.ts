import { afterAll, beforeAll } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser";
import { sessionCookie, type Account } from "./http-session";
import { startServer, type TestServer } from "./server";

/** What a describe block's tests use of the running site. Read it inside tests: it is there once beforeAll has run. */
export interface RunningSite {
  readonly server: TestServer;
  /** Chromium, when asked for with `browser: true`. */
  readonly browser: Browser;
  /** The cookie header of a session of `signInAs`, when given. */
  readonly cookie: string;
}

/**
 * Starts a production server for the tests of the describe block it is called in — with Chromium, and signed in
 * over HTTP as an account, when asked; `env` is extra environment for the server — and stops them after. Starting may build the site first (several minutes).
 */
export function useRunningSite(
  opts: {
    browser?: boolean;
    signInAs?: Account;
    env?: Record<string, string | undefined>;
    /** NEXTAUTH_URL when it is not the address the tests open (see startServer). */
    siteUrl?: (port: number) => string;
  } = {},
): RunningSite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let cookie: string | undefined;
  beforeAll(async () => {
    server = await startServer(opts.env, { siteUrl: opts.siteUrl });
    if (opts.browser) browser = await launchBrowser();
    if (opts.signInAs) cookie = await sessionCookie(server.url, opts.signInAs);
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useRunningSite: no ${what} (not asked for, or beforeAll has not run)`);
    return value;
  };
  return {
    get server() {
      return ready(server, "server");
    },
    get browser() {
      return ready(browser, "browser");
    },
    get cookie() {
      return ready(cookie, "session cookie");
    },
  };
}
