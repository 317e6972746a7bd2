import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Locator, Page } from "playwright-core";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { quizFilePath } from "@/assignments/content/load-quiz";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";

interface BankQuestion {
  id: string;
  kind: "single" | "multiple";
  prompt: string;
  choices: { id: string; text: string }[];
}

const readBank = async () => (parse(await fs.readFile(quizFilePath(6), "utf8")) as { questions: BankQuestion[] }).questions;

/** Whether any part of the element is inside the viewport as the page is scrolled now. */
const inViewport = (element: Locator) =>
  element.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  });

/** Console errors and uncaught page errors (React reports a failed hydration as one of them). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (error) => errors.push(`${error.name}: ${error.message}`));
  return errors;
}

describe.skipIf(!hasChromium)("The pages agree with themselves (issue 14 §9)", () => {
  const site = useRunningSite({ browser: true });

  it("names each assignment on the course page once: no doubled 'Assignment 6:'", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    const main = (await page.getByRole("main").textContent()) ?? "";
    expect(main).not.toMatch(/Assignment 6:\s*Assignment 6:/);
    expect(await page.getByRole("link", { name: /^Assignment 6: classify shapes/ }).count()).toBe(1);
    expect(await page.getByRole("link", { name: /^Lesson 6: Image Classification and Transfer Learning$/ }).count()).toBe(1);
    await page.close();
  });

  it("gives every page an icon the browser can load, so no favicon request ends in a 404", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const notFound: string[] = [];
    page.on("response", (res) => {
      if (res.status() === 404) notFound.push(res.url());
    });
    await page.goto(`${site.server.url}/`);
    await page.waitForLoadState("networkidle");
    const href = await page.locator('head link[rel="icon"]').first().getAttribute("href");
    expect(href, "the page declares an icon").toBeTruthy();
    const icon = await fetch(new URL(href!, site.server.url));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\//);
    expect(notFound).toEqual([]);
    await page.close();
  });

  it("renders /courses/cv-fundamentals/assignments/6 on the client as on the server: no hydration error", async () => {
    // A student far from the server, with another locale: anything formatted by the browser's clock or
    // language (a date, a number) would differ from the server's rendering here.
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "de-DE", timezoneId: "Pacific/Auckland" });
    await signIn(page, site.server.url, DEMO_STUDENT);
    const errors = collectErrors(page);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6`);
    await page.waitForLoadState("networkidle");
    await page.getByRole("form", { name: "Submit" }).waitFor();
    await page.waitForTimeout(1000); // React reports a mismatch once hydration has finished
    if (errors.length > 0) console.warn(`console errors on /courses/cv-fundamentals/assignments/6:\n${errors.join("\n")}`);
    expect(errors.filter((e) => /418|hydrat/i.test(e))).toEqual([]);
    await page.close();
  });

  it("shows the score after a quiz is submitted, and reviews single-answer questions with radio marks", async () => {
    const bank = await readBank();
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/lessons/6/quiz`);
    await page.getByRole("button", { name: "Start the quiz" }).click();
    await page.waitForURL(/\/quiz\/attempts\/[0-9a-f-]{36}$/);
    const questions = page.getByTestId("quiz-question");
    await questions.first().waitFor();
    const count = await questions.count();
    for (let i = 0; i < count; i++) await questions.nth(i).locator("input").first().check();
    const submit = page.getByRole("button", { name: "Submit answers" });
    await submit.scrollIntoViewIfNeeded();
    await submit.click();

    const score = page.getByTestId("attempt-score");
    await score.waitFor({ timeout: 30_000 });
    // The page scrolls up smoothly (instantly with reduced motion): wait for it, then say where the score is.
    await page
      .waitForFunction(() => {
        const r = document.querySelector('[data-testid="attempt-score"]')?.getBoundingClientRect();
        return r !== undefined && r.bottom > 0 && r.top < window.innerHeight;
      }, undefined, { timeout: 5000 })
      .catch(() => undefined);
    expect(await inViewport(score), "the score is on screen after submitting").toBe(true);
    // Focus moved to the result, so a screen reader reads the score next, and Tab goes on from there.
    expect(await page.evaluate(() => document.activeElement?.closest("[data-testid=attempt-summary]") !== null)).toBe(true);
    await screenshot(page, "quiz-result-after-submit");

    const results = page.getByTestId("result-question");
    expect(await results.count()).toBe(count);
    let singles = 0;
    for (let i = 0; i < count; i++) {
      const result = results.nth(i);
      const id = await result.getAttribute("data-question-id");
      const kind = bank.find((q) => q.id === id)?.kind;
      expect(kind).toBeDefined();
      const text = (await result.textContent()) ?? "";
      const marks = result.locator("[data-mark]");
      const markKinds = await marks.evaluateAll((els) => els.map((e) => e.getAttribute("data-mark")));
      if (kind === "single") {
        singles++;
        expect(text, "a single-answer question is not reviewed with checkboxes").not.toMatch(/[☐☑]/);
        expect(markKinds.every((m) => m === "radio")).toBe(true);
        expect(markKinds.length).toBeGreaterThan(0);
      } else {
        expect(markKinds.every((m) => m === "checkbox")).toBe(true);
      }
    }
    expect(singles).toBeGreaterThan(0);
    await page.close();
  });

  it("shows item statistics with the question and choice text, the bank ids beside them", async () => {
    const bank = await readBank();
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/instructor/quizzes`);
    await page.getByRole("link", { name: /Lesson 6 quiz/ }).click();
    await page.waitForURL(/\/courses\/cv-fundamentals\/lessons\/6\/quiz\/statistics$/);
    const row = page.getByTestId("item-statistics").locator('tr[data-question-id="task-definition"]');
    // Visible without opening anything: the prompt in words (Markdown marks dropped) and each choice's text.
    const visible = await row.evaluate((el) => (el as HTMLElement).innerText);
    expect(visible).toContain("Which output makes a model an image classifier rather than a detector or a segmenter?");
    const question = bank.find((q) => q.id === "task-definition")!;
    for (const choice of question.choices) expect(visible).toContain(choice.text);
    expect(visible).toContain("task-definition");
    await screenshot(page, "quiz-statistics-with-text");
    await page.close();
  });

  it("reports no Content-Security-Policy violation on any page it opened", () => {
    expect(cspViolations(site.browser)).toEqual([]);
  });
});

if (!hasChromium) console.warn(NO_CHROMIUM);
