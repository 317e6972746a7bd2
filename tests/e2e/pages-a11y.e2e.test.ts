import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { ARTIFACTS_DIR, cspViolations, hasChromium, NO_CHROMIUM, signIn } from "./helpers/browser";
import { startGraderWorkerIfQueued, type TestWorker } from "./helpers/grader-worker";
import { useRunningSite } from "./helpers/running-site";

if (!hasChromium) console.warn(`[tests] ${NO_CHROMIUM}`);

/*
 * Issue 14, "checks that keep them fixed": every page the site serves, signed out, as a student
 * and as an instructor, is checked by axe-core (no serious or critical violation), screenshotted at
 * 1280 and 390 px, and measured: a document wider than the viewport scrolls sideways on a phone.
 *
 * Pages are found by following the links each role is shown (one page per route: ids and
 * numbers in a path are one route), so a page added or moved later is checked without editing
 * this file. A graded submission, a rejected one with a long message, and a submitted and an open
 * quiz attempt are made first, so the report, history and quiz pages have content.
 */

const WIDTHS = [1280, 390] as const;
const SCREENSHOT_DIR = path.join(ARTIFACTS_DIR, "pages");
/** Enough for every route today with room to grow; a crawl that reaches it says so. */
const MAX_PAGES_PER_ROLE = 60;
const GRADING_TIMEOUT_MS = 180_000;

/** A spec that passes Assignment 6's checks and grades in seconds. */
const TINY_SPEC = {
  kind: "cnn",
  name: "tiny dense model for the page checks",
  layers: [{ type: "flatten" }, { type: "dense", units: 5, activation: "softmax" }],
  training: { epochs: 1, batchSize: 64 },
};
/**
 * A spec the submit check refuses with a long message (several layers wrong at once): the kind of
 * rejection that used to push the score column off a phone's screen.
 */
const REFUSED_SPEC = {
  kind: "cnn",
  name: "a refused spec whose message runs long",
  layers: [
    { type: "conv2d", filters: 4096, kernelSize: 3, activation: "relu" },
    { type: "conv2d", filters: 4096, kernelSize: 3, activation: "relu" },
    { type: "flatten" },
    { type: "dense", units: 10, activation: "softmax" },
  ],
  training: { epochs: 1, batchSize: 64 },
};

/** Screenshot names taken so far: a second page of one route (an open attempt after a submitted one) gets "-2". */
const screenshotNames = new Set<string>();

interface Finding {
  page: string;
  width: number;
  what: string;
}

/** "/submissions/3f…-…" and "/submissions/9a…" are one route; so are "/lessons/6" and "/lessons/7". */
function routeOf(pathname: string): string {
  return pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ":id")
    .replace(/\/\d+(?=\/|$)/g, "/:n");
}

/** Same-site page links on the current page (no API routes, downloads or sign-out). */
async function pageLinks(page: Page, origin: string): Promise<string[]> {
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
  const out: string[] = [];
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin !== origin) continue;
    if (/^\/api\/|\.(csv|json|zip|md|png|svg)$/i.test(url.pathname)) continue;
    if (/\/written-report|\/upload/.test(url.pathname)) continue;
    out.push(url.pathname + url.search);
  }
  return out;
}

/**
 * The elements that stick out past the viewport's right edge and are not clipped by a box that
 * scrolls on its own, outermost first, for a readable failure. An absolutely positioned element
 * (e.g. Tailwind's sr-only) is clipped only by a scrolling box that contains its containing block:
 * one inside an unpositioned scrolling table still widens the page.
 */
function widestElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const sticksOut = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.right > vw + 1 && r.width > 0;
    };
    const clippedInView = (el: Element): boolean => {
      let needPositioned = getComputedStyle(el).position === "absolute";
      if (getComputedStyle(el).position === "fixed") return false;
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const style = getComputedStyle(a);
        const positioned = style.position !== "static";
        if ((!needPositioned || positioned) && /(auto|scroll|hidden|clip)/.test(style.overflowX) && a.getBoundingClientRect().right <= vw + 1) return true;
        if (needPositioned && positioned) needPositioned = style.position === "absolute";
        if (style.position === "fixed") return false;
      }
      return false;
    };
    const culprit = (el: Element) => sticksOut(el) && !clippedInView(el);
    const out: { desc: string; right: number }[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (!culprit(el)) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && culprit(parent)) continue;
      const r = el.getBoundingClientRect();
      const id = el.id ? `#${el.id}` : "";
      const testId = el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 4).join(".")}` : "";
      const text = (el.textContent ?? "").trim().slice(0, 40);
      out.push({ desc: `<${el.tagName.toLowerCase()}${id}${testId}${cls}> "${text}" right edge ${Math.round(r.right)} px`, right: r.right });
    }
    return out.sort((a, b) => b.right - a.right).slice(0, 5).map((o) => o.desc);
  });
}

/** Lets the page settle: fonts, client components mounted, no request in flight for a moment (SSE streams excepted). */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("load");
  await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
  await page.evaluate(() => document.fonts.ready);
}

/**
 * Checks one page at both widths: axe-core, document width, screenshots. Returns what it found and
 * the links the page shows (to crawl on).
 */
async function checkPage(page: Page, url: string, role: string, findings: Finding[]): Promise<string[]> {
  const pathname = new URL(url).pathname;
  const base = `${role}${routeOf(pathname).replace(/[/:]+/g, "-").replace(/-$/, "") || "-home"}`;
  let name = base;
  for (let i = 2; screenshotNames.has(name); i++) name = `${base}-${i}`;
  screenshotNames.add(name);
  let links: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const res = await page.goto(url);
    await settle(page);
    const at = page.url();
    if (res && res.status() >= 500) findings.push({ page: at, width, what: `answered ${res.status()}` });

    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    if (scrollWidth > clientWidth) {
      findings.push({ page: at, width, what: `document is ${scrollWidth} px wide in a ${clientWidth} px viewport: ${(await widestElements(page)).join("; ")}` });
    }

    const axe = await new AxeBuilder({ page }).analyze();
    for (const v of axe.violations) {
      if (v.impact !== "serious" && v.impact !== "critical") continue;
      const targets = v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, " ").slice(0, 160)})` : ""}`);
      findings.push({ page: at, width, what: `axe ${v.impact} ${v.id}: ${v.help} — ${targets.join(" | ")}` });
    }

    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
    if (width === WIDTHS[0]) links = await pageLinks(page, new URL(url).origin);
  }
  return links;
}

/** Visits `start` and every page reachable from it by links, one per route; returns the routes visited. */
async function crawl(page: Page, base: string, start: string[], role: string, findings: Finding[]): Promise<string[]> {
  // The start pages are all visited, even two of one route (an open and a submitted quiz attempt).
  const queue = start.map((url) => ({ url, always: true }));
  const seen = new Set<string>();
  const visited: string[] = [];
  while (queue.length > 0) {
    const { url: next, always } = queue.shift()!;
    const route = routeOf(new URL(next, base).pathname);
    if (seen.has(route) && !always) continue;
    seen.add(route);
    if (visited.length >= MAX_PAGES_PER_ROLE) throw new Error(`more than ${MAX_PAGES_PER_ROLE} routes for ${role}: raise MAX_PAGES_PER_ROLE`);
    visited.push(route);
    const links = await checkPage(page, new URL(next, base).href, role, findings);
    queue.push(...links.map((url) => ({ url, always: false })));
  }
  return visited;
}

/** A page in a context of its own: AxeBuilder needs a page from browser.newContext(), not browser.newPage(). */
async function freshPage(site: { browser: Browser }): Promise<Page> {
  const context = await site.browser.newContext();
  return context.newPage();
}

const report = (findings: Finding[]) => findings.map((f) => `${f.page} @ ${f.width} px: ${f.what}`).join("\n");

describe.skipIf(!hasChromium)("every page: accessible (axe-core), and no wider than a 390 px phone", () => {
  // Its own queue prefix: with Redis the web only enqueues, and this file's grader worker must take only its own jobs.
  const site = useRunningSite({ browser: true, env: { GRADER_QUEUE_PREFIX: `e2e-pages-${crypto.randomUUID().slice(0, 8)}` } });
  let worker: TestWorker | null = null;
  afterAll(async () => {
    await worker?.stop();
  });
  let graded = "";
  let attemptPath = "";
  let openAttemptPath = "";

  beforeAll(async () => {
    worker = startGraderWorkerIfQueued(site.server);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const page = await freshPage(site);
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/assignments/6`);
    const submit = (spec: object) =>
      page.evaluate(async (spec) => {
        const data = new FormData();
        data.set("mode", "spec");
        data.set("spec", JSON.stringify(spec));
        data.set("idempotencyKey", crypto.randomUUID());
        const res = await fetch("/api/assignments/6/submissions", { method: "POST", body: data });
        return { status: res.status, body: (await res.json()) as { id?: string; error?: string } };
      }, spec);
    const ok = await submit(TINY_SPEC);
    if (!ok.body.id) throw new Error(`submit answered ${ok.status}: ${ok.body.error}`);
    graded = ok.body.id;
    const refused = await submit(REFUSED_SPEC);
    expect(refused.status, "the refused spec is refused").toBeGreaterThanOrEqual(400);

    // A quiz attempt submitted with every first choice ticked, and a second one left open.
    await page.goto(`${site.server.url}/lessons/6/quiz`);
    await page.getByRole("button", { name: "Start the quiz" }).click();
    await page.waitForURL(/\/quiz\/attempts\/[0-9a-f-]{36}$/);
    attemptPath = new URL(page.url()).pathname;
    const questions = page.getByTestId("quiz-question");
    await questions.first().waitFor();
    for (let i = 0; i < (await questions.count()); i++) await questions.nth(i).locator("input").first().check();
    await page.getByRole("button", { name: "Submit answers" }).click();
    await page.getByTestId("attempt-score").waitFor({ timeout: 30_000 });
    await page.goto(`${site.server.url}/lessons/6/quiz`);
    await page.getByRole("button", { name: /^Start attempt \d+ of \d+$/ }).click();
    await page.waitForURL((u) => /\/quiz\/attempts\/[0-9a-f-]{36}$/.test(u.pathname) && u.pathname !== attemptPath);
    openAttemptPath = new URL(page.url()).pathname;

    // Wait for the graded report, so the report page has its charts and tables.
    await page.goto(`${site.server.url}/submissions/${graded}`);
    await page.locator('[data-chart="confusion-matrix"]').first().waitFor({ timeout: GRADING_TIMEOUT_MS });
    await page.context().close();
  }, GRADING_TIMEOUT_MS + 120_000);

  it("signed out: home, sign-in, sign-up and a page that does not exist", async () => {
    const page = await freshPage(site);
    const findings: Finding[] = [];
    for (const p of ["/", "/signin", "/signup", "/no-such-page"]) await checkPage(page, site.server.url + p, "signed-out", findings);
    await page.context().close();
    expect(report(findings)).toBe("");
  }, 300_000);

  it("as a student: every page the student's links reach, the quiz attempts, the report, and a refused instructor page", async () => {
    const page = await freshPage(site);
    await signIn(page, site.server.url, DEMO_STUDENT);
    const findings: Finding[] = [];
    const visited = await crawl(page, site.server.url, ["/", `/submissions/${graded}`, attemptPath, openAttemptPath], "student", findings);
    // A student sent to an instructor page sees the refusal page, which is checked like any other.
    await checkPage(page, `${site.server.url}/instructor`, "student-refused", findings);
    await page.context().close();
    console.log(`[pages-a11y] student routes: ${visited.join(", ")}`);
    expect(report(findings)).toBe("");
    for (const route of ["/lessons/:n", "/lessons/:n/quiz", "/lessons/:n/quiz/attempts/:id", "/assignments/:n", "/assignments/:n/leaderboard", "/submissions/:id"]) {
      expect(visited.some((v) => v.endsWith(route)), `the student crawl reached …${route}`).toBe(true);
    }
  }, 600_000);

  it("as an instructor: every page the instructor's links reach, and the student's report with the instructor's tools", async () => {
    const page = await freshPage(site);
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    const findings: Finding[] = [];
    const visited = await crawl(page, site.server.url, ["/", `/submissions/${graded}`], "instructor", findings);
    await page.context().close();
    console.log(`[pages-a11y] instructor routes: ${visited.join(", ")}`);
    expect(report(findings)).toBe("");
    for (const route of ["/submissions", "/gradebook", "/datasets", "/quiz/statistics"]) {
      expect(visited.some((v) => v.endsWith(route)), `the instructor crawl reached …${route}`).toBe(true);
    }
  }, 600_000);

  it("reports no Content-Security-Policy violation on any page it opened", () => {
    expect(cspViolations(site.browser)).toEqual([]);
  });
});
