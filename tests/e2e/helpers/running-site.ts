import { afterAll, beforeAll } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser";
import { startGraderWorkerIfQueued, type TestWorker } from "./grader-worker";
import { sessionCookie, type Account } from "./http-session";
import { startServer, type TestServer } from "./server";

/** What a describe block's tests use of the running site. Read it inside tests: it is there once beforeAll has run. */
export interface RunningSite {
  readonly server: TestServer;
  /** Chromium, when asked for with `browser: true`. */
  readonly browser: Browser;
  /** The cookie header of a session of `signInAs`, when given. */
  readonly cookie: string;
  /** The grader worker process, when asked for with `graderWorker: true` and the server only enqueues (REDIS_URL). */
  readonly worker: TestWorker | null;
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
    /**
     * Tests that wait for grading: with Redis the web only enqueues, so start a grader worker process as production
     * runs one (startGraderWorkerIfQueued; give `env` a GRADER_QUEUE_PREFIX of its own). Without Redis the server grades.
     */
    graderWorker?: boolean;
  } = {},
): RunningSite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let cookie: string | undefined;
  let worker: TestWorker | null = null;
  beforeAll(async () => {
    server = await startServer(opts.env, { siteUrl: opts.siteUrl });
    if (opts.graderWorker) worker = startGraderWorkerIfQueued(server);
    if (opts.browser) browser = await launchBrowser();
    if (opts.signInAs) cookie = await sessionCookie(server.url, opts.signInAs);
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await server?.stop();
  }, 120_000);
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
    get worker() {
      return worker;
    },
  };
}
