import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { ARTIFACTS_DIR, cspViolations, hasChromium, NO_CHROMIUM, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";

/**
 * The WCAG contrast ratio between an element's text and the first background behind it that is not
 * transparent. Colours go through a canvas, so any CSS colour syntax (Tailwind's oklch too) becomes sRGB.
 */
function contrastOf(element: Locator): Promise<{ ratio: number; text: string; background: string }> {
  return element.evaluate((el) => {
    const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    const rgba = (css: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    };
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
    };
    const text = getComputedStyle(el).color;
    let background = "rgb(255, 255, 255)";
    for (let node: Element | null = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (rgba(bg)[3]! > 0) {
        background = bg;
        break;
      }
    }
    const [a, b] = [luminance(rgba(text)), luminance(rgba(background))];
    return { ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), text, background };
  });
}

/** A viewport-sized screenshot: the confirm dialog sits in the viewport, not on the full page. */
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });

describe.skipIf(!hasChromium)("A student's journey without a stumble (issue 14)", () => {
  // Configured the way scripts/start.mjs configures a site whose NEXTAUTH_URL is unset, while the
  // browser opens it at 127.0.0.1, as a student on another address would.
  const site = useRunningSite({ browser: true, siteUrl: (port) => `http://localhost:${port}` });

  it("draws the home page's Sign in button, and other button-styled links, with readable text", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.server.url}/`);
    const signInButton = page.getByRole("main").getByRole("link", { name: "Sign in", exact: true });
    const contrast = await contrastOf(signInButton);
    expect(contrast.ratio, `Sign in: ${contrast.text} on ${contrast.background}`).toBeGreaterThanOrEqual(4.5);

    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/`);
    const goToCourse = await contrastOf(page.getByRole("main").getByRole("link", { name: "Go to the course" }));
    expect(goToCourse.ratio, `Go to the course: ${goToCourse.text} on ${goToCourse.background}`).toBeGreaterThanOrEqual(4.5);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6/gradebook`);
    const exportCsv = await contrastOf(page.getByRole("link", { name: "Export CSV" }));
    expect(exportCsv.ratio, `Export CSV: ${exportCsv.text} on ${exportCsv.background}`).toBeGreaterThanOrEqual(4.5);
    await page.close();
  });

  it("keeps a new student on the address they opened the site at, signed in, after signing up", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    expect(new URL(site.server.url).hostname).toBe("127.0.0.1");
    await page.goto(`${site.server.url}/signup`);
    await page.getByLabel("Name").fill("Ada Newcomer");
    await page.getByLabel("Email").fill(`ada-${Date.now()}@example.edu`);
    await page.getByLabel(/^Password/).fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    // The old redirect went to localhost, where the new session did not exist: it ended on /signin there.
    await page.waitForURL((u) => u.pathname !== "/signup", { timeout: 30_000 });
    await page.waitForLoadState("load");
    // A new account is in no course yet: /courses asks for a join code.
    expect(page.url()).toBe(`${site.server.url}/courses`);
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    expect(await page.getByText("You are not enrolled in a course yet").isVisible()).toBe(true);
    await page.close();
  });

  it("lets a student press Enter, reload and change their mind without losing the attempt", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/lessons/6/quiz`);
    await page.getByRole("button", { name: "Start the quiz" }).click();
    await page.waitForURL(/\/quiz\/attempts\/[0-9a-f-]{36}$/);
    const attemptUrl = page.url();
    const questions = page.getByTestId("quiz-question");
    await questions.first().waitFor();
    expect(await questions.count()).toBe(10);

    // One answer each to the first two questions, then Enter on it, as a student confirming a choice would.
    const picked: { question: number; value: string }[] = [];
    for (const question of [0, 1]) {
      const input = questions.nth(question).locator("input").first();
      await input.check();
      picked.push({ question, value: (await input.getAttribute("value"))! });
      await input.press("Enter");
    }
    await page.waitForTimeout(1500); // the old page had submitted and shown "0 / 10" by now
    expect(page.url()).toBe(attemptUrl);
    expect(await page.getByTestId("attempt-score").count()).toBe(0);
    expect(await page.getByRole("dialog").isVisible()).toBe(false);
    expect(await page.getByTestId("answered-count").textContent()).toBe("2 of 10 answered");

    // The answers are saved on the server as they are picked: a reload keeps them, and so does
    // another browser (a fresh context has none of this one's storage).
    await page.getByTestId("draft-status").getByText("Answers saved").waitFor();
    await page.reload();
    await page.getByText("2 of 10 answered").waitFor();
    for (const { question, value } of picked) {
      expect(await questions.nth(question).locator(`input[value="${value}"]`).isChecked()).toBe(true);
    }
    const elsewhere = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(elsewhere, site.server.url, DEMO_STUDENT);
    await elsewhere.goto(attemptUrl);
    await elsewhere.getByText("2 of 10 answered").waitFor();
    await elsewhere.close();

    // Submit with 8 unanswered asks first; the safe choice has the focus, so Enter keeps the attempt.
    await page.getByRole("button", { name: "Submit answers" }).click();
    const dialog = page.getByRole("dialog", { name: "Submit with 8 questions unanswered?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("You have answered 2 of 10 questions.");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Keep answering");
    await shot(page, "quiz-confirm-submit-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "quiz-confirm-submit-390");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.getByTestId("attempt-score").count()).toBe(0);

    // Escape says no too, and the attempt is still open on the server after another reload.
    await page.getByRole("button", { name: "Submit answers" }).click();
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.reload();
    await page.getByText("2 of 10 answered").waitFor();
    expect(await page.getByTestId("attempt-score").count()).toBe(0);

    // Saying yes submits the two answers that were kept.
    await page.getByRole("button", { name: "Submit answers" }).click();
    await dialog.getByRole("button", { name: "Submit anyway" }).click();
    const score = page.getByTestId("attempt-score");
    await score.waitFor({ timeout: 30_000 });
    expect(await score.textContent()).toMatch(/\/ 10/);
    expect(await page.getByText("not answered", { exact: true }).count()).toBe(8);
    await page.close();
  });

  it("reports no Content-Security-Policy violation on any page it opened", () => {
    expect(cspViolations(site.browser)).toEqual([]);
  });
});

if (!hasChromium) console.warn(NO_CHROMIUM);
