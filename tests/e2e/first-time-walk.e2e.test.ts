import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { DEMO_INSTRUCTOR } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { startGraderWorkerIfQueued, type TestWorker } from "./helpers/grader-worker";
import { useRunningSite } from "./helpers/running-site";

const COURSE = "/courses/cv-fundamentals";
/** One epoch of the lesson's simple CNN, then the held-out set: minutes at most on two busy cores. */
const GRADING_TIMEOUT_MS = 420_000;

/**
 * Everything that went wrong in the browser while a walk ran: console errors, uncaught page errors
 * and every answer of 400 or more, each with its address. A first-time walk must leave this empty.
 */
function watchForTrouble(context: BrowserContext): string[] {
  const trouble: string[] = [];
  context.on("console", (msg) => {
    if (msg.type() === "error") trouble.push(`console error on ${msg.page()?.url() ?? "?"}: ${msg.text()}`);
  });
  context.on("weberror", (e) => trouble.push(`uncaught error on ${e.page()?.url() ?? "?"}: ${e.error().message}`));
  context.on("response", (res) => {
    if (res.status() >= 400) trouble.push(`${res.status()} for ${res.request().method()} ${res.url()}`);
  });
  return trouble;
}

/** What has the keyboard focus: its tag, type, role, label and text (enough to tell the test where it is). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    const question = el.closest('[data-testid="quiz-question"]');
    const questions = [...document.querySelectorAll('[data-testid="quiz-question"]')];
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute("type"),
      text: (el.textContent ?? "").trim().slice(0, 80),
      checked: (el as HTMLInputElement).checked ?? false,
      question: question ? questions.indexOf(question) : -1,
    };
  });

/** Presses Tab (or Shift+Tab) until the focus satisfies `done`; fails after `max` presses. */
async function tabUntil(page: Page, done: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean, what: string, opts: { back?: boolean; max?: number } = {}) {
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press(opts.back ? "Shift+Tab" : "Tab");
    const f = await focused(page);
    if (f && done(f)) return f;
  }
  throw new Error(`the keyboard never reached ${what} (focus is on ${JSON.stringify(await focused(page))})`);
}

/**
 * Answers every question of an open attempt with the keyboard alone and submits it: Tab into each
 * question, Space to pick (arrow keys move a radio group's choice, as a student comparing options
 * would), Submit with one question left asks first — Enter on the focused "Keep answering" keeps the
 * attempt — then the last answer and Submit. Returns the score text, which has the focus afterwards.
 */
async function takeQuizWithKeyboard(page: Page): Promise<string> {
  const questions = page.getByTestId("quiz-question");
  await questions.first().waitFor();
  const count = await questions.count();
  expect(count).toBeGreaterThan(1);
  // Start from the top of the page, as a student who just arrived does.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let q = 0; q < count - 1; q++) {
    const f = await tabUntil(page, (x) => x.question === q && x.tag === "input", `question ${q + 1}`);
    if (f.type === "radio") {
      // Arrow keys move within the group and pick as they go; Space confirms the one with the focus.
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("Space");
    } else {
      await page.keyboard.press("Space");
    }
    expect((await focused(page))?.checked, `question ${q + 1} answered from the keyboard`).toBe(true);
    // Enter on an answer must not submit the attempt (issue 14 §1).
    await page.keyboard.press("Enter");
  }
  await page.getByText(`${count - 1} of ${count} answered`).waitFor();
  expect(await page.getByTestId("attempt-score").count()).toBe(0);

  // Submit with one unanswered: the dialog asks, and Enter picks the safe choice that has the focus.
  await tabUntil(page, (x) => x.tag === "button" && x.text === "Submit answers", "the Submit button");
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Submit with 1 question unanswered?" });
  await dialog.waitFor();
  expect((await focused(page))?.text).toBe("Keep answering");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "hidden" });

  // Back to the last question (Shift+Tab from Submit), answer it, and submit: no question left, no dialog.
  const last = await tabUntil(page, (x) => x.question === count - 1 && x.tag === "input", `question ${count}`, { back: true });
  await page.keyboard.press("Space");
  expect((await focused(page))?.checked, `question ${count} (${last.type}) answered`).toBe(true);
  await page.getByText(`${count} of ${count} answered`).waitFor();
  await tabUntil(page, (x) => x.tag === "button" && x.text === "Submit answers", "the Submit button");
  await page.keyboard.press("Enter");

  const score = page.getByTestId("attempt-score");
  await score.waitFor({ timeout: 30_000 });
  // The score takes the focus, so a screen reader reads it and the next Tab starts from there.
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toMatch(new RegExp(`/ ${count}`));
  return (await score.textContent()) ?? "";
}

describe.skipIf(!hasChromium)("A new student's first visit, end to end, without a stumble (issue 14)", () => {
  const site = useRunningSite({ browser: true, env: { GRADER_QUEUE_PREFIX: `e2e-walk-${crypto.randomUUID().slice(0, 8)}` } });
  let worker: TestWorker | null = null;
  let submissionUrl = "";

  beforeAll(() => {
    worker = startGraderWorkerIfQueued(site.server);
  });
  afterAll(async () => {
    await worker?.stop();
  }, 60_000);

  it("signs up, joins with the code, reads the lesson, takes the quiz by keyboard, builds, submits, watches it train and reads the report", async () => {
    // The join code, as the instructor reads it to the class.
    const instructor = await site.browser.newPage();
    await signIn(instructor, site.server.url, DEMO_INSTRUCTOR);
    await instructor.goto(`${site.server.url}/instructor`);
    const code = (await instructor.getByTestId("join-code").first().textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    await instructor.close();

    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const trouble = watchForTrouble(context);
    const page = await context.newPage();

    // Sign up.
    await page.goto(`${site.server.url}/`);
    await page.getByRole("link", { name: "Create account" }).first().click();
    await page.waitForURL(/\/signup/);
    const email = `newcomer-${crypto.randomUUID().slice(0, 8)}@tensorgrade.dev`;
    await page.getByLabel("Name").fill("Noa Newcomer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password (10+ characters)").fill("newcomer-password");
    await page.getByRole("button", { name: "Create account" }).click();

    // Join the course with its code.
    await page.getByLabel("Join code").waitFor({ timeout: 30_000 });
    await page.getByLabel("Join code").fill(code.toLowerCase());
    await page.getByRole("button", { name: "Join" }).click();
    await page.waitForURL(new RegExp(`${COURSE}$`), { timeout: 30_000 });
    await screenshot(page, "first-walk-course");

    // Read the lesson, from the course page's link to its last section.
    await page.getByRole("main").getByRole("link", { name: /Lesson 6/ }).first().click();
    await page.waitForURL(/\/lessons\/6$/);
    expect(await page.getByRole("navigation", { name: "Table of contents" }).getByRole("link").count()).toBeGreaterThan(3);
    await page.getByRole("article").getByRole("heading", { level: 2 }).last().scrollIntoViewIfNeeded();
    expect(await page.locator("[data-figure]").count()).toBeGreaterThan(0);

    // The quiz, by keyboard only.
    await page.getByRole("link", { name: /Take the Lesson 6 quiz/ }).click();
    await page.waitForURL(/\/quiz$/);
    await page.getByRole("button", { name: "Start the quiz" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/quiz\/attempts\/[0-9a-f-]{36}$/);
    const score = await takeQuizWithKeyboard(page);
    expect(score).toMatch(/\d+(\.\d+)? \/ 10/);
    await screenshot(page, "first-walk-quiz-result");

    // The assignment: start from the lesson's CNN preset, one epoch, submit.
    await page.goto(`${site.server.url}${COURSE}/assignments/6`);
    const presets = page.getByTestId("presets");
    if (await presets.count()) await presets.getByRole("button", { name: /Simple CNN/ }).click();
    await page.locator("#field-training\\.epochs").fill("1");
    await page.getByTestId("budget-ok").waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    submissionUrl = page.url();

    // Watch it train, then read the report.
    await expect
      .poll(() => page.getByTestId("progress-text").textContent({ timeout: 1_000 }).catch(() => ""), { timeout: GRADING_TIMEOUT_MS, interval: 250 })
      .toMatch(/Epoch 1 of 1/);
    try {
      await page.locator('[data-chart="confusion-matrix"]').first().waitFor({ timeout: GRADING_TIMEOUT_MS });
    } catch (e) {
      throw new Error(`no report: ${await page.getByTestId("submission-status").textContent()}\n${site.server.logs().slice(-3000)}\n${worker?.logs().slice(-3000) ?? ""}`, { cause: e });
    }
    expect(await page.getByTestId("submission-status").textContent()).toBe("succeeded");
    expect(await page.getByTestId("score-public").count()).toBe(1);
    expect(await page.locator('[data-chart="training-curves"]').count()).toBeGreaterThan(0);
    await screenshot(page, "first-walk-report");

    expect(trouble, trouble.join("\n")).toEqual([]);
    expect(cspViolations(site.browser)).toEqual([]);
    await context.close();
  }, GRADING_TIMEOUT_MS + 180_000);

  it("prints the time to first byte of every main page, signed out, as a student and as an instructor", async () => {
    expect(submissionUrl).not.toBe("");
    const student = await site.browser.newContext();
    const studentPage = await student.newPage();
    await signIn(studentPage, site.server.url, { email: "student@tensorgrade.dev", password: "learn-lesson-6" });
    const teacher = await site.browser.newContext();
    const teacherPage = await teacher.newPage();
    await signIn(teacherPage, site.server.url, DEMO_INSTRUCTOR);
    const anonymous = await (await site.browser.newContext()).newPage();
    const a6 = `${COURSE}/assignments/6`;
    const pages: [Page, string, string][] = [
      [anonymous, "signed out", "/"],
      [anonymous, "signed out", "/signin"],
      [anonymous, "signed out", "/signup"],
      [studentPage, "student", COURSE],
      [studentPage, "student", `${COURSE}/lessons/6`],
      [studentPage, "student", `${COURSE}/lessons/6/quiz`],
      [studentPage, "student", a6],
      [studentPage, "student", `${a6}/leaderboard`],
      [teacherPage, "instructor", "/instructor"],
      [teacherPage, "instructor", new URL(submissionUrl).pathname],
      [teacherPage, "instructor", `${a6}/submissions`],
      [teacherPage, "instructor", `${a6}/gradebook`],
      [teacherPage, "instructor", `${a6}/datasets`],
      [teacherPage, "instructor", `${COURSE}/lessons/6/quiz/statistics`],
    ];
    const ROUNDS = 5;
    const rows: string[] = [];
    for (const [page, who, path] of pages) {
      const ttfb: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const res = await page.goto(`${site.server.url}${path}`);
        expect(res?.status(), `${who} ${path}`).toBe(200);
        ttfb.push(await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          return nav.responseStart - nav.requestStart;
        }));
      }
      ttfb.sort((a, b) => a - b);
      rows.push(`${who.padEnd(10)} ${path.padEnd(58)} median ${ttfb[ROUNDS >> 1]!.toFixed(0).padStart(5)} ms  min ${ttfb[0]!.toFixed(0).padStart(5)}  max ${ttfb.at(-1)!.toFixed(0).padStart(5)}`);
    }
    const os = await import("node:os");
    console.log(`[ttfb] time to first byte in Chromium (Navigation Timing responseStart − requestStart), ${ROUNDS} loads each, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${os.cpus().length} cores:\n${rows.join("\n")}`);
    await student.close();
    await teacher.close();
    await anonymous.context().close();
  }, 300_000);
});

if (!hasChromium) console.warn(NO_CHROMIUM);
