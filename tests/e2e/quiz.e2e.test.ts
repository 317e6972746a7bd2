import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { quizFilePath } from "@/assignments/content/load-quiz";
import { ARTIFACTS_DIR, cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { sessionCookie } from "./helpers/http-session";
import { useRunningSite } from "./helpers/running-site";

interface BankQuestion {
  id: string;
  explanation: string;
  correct: string[];
  choices: { id: string; text: string }[];
}

/** An attempt's questions as its JSON gives them: choices under the attempt's own ids. */
interface ShownQuestion {
  id: string;
  choices: { id: string; text: string }[];
}

describe.skipIf(!hasChromium)("Lesson 6 and its quiz in a real browser", () => {
  const site = useRunningSite({ browser: true, signInAs: DEMO_STUDENT });
  let quizId: string;
  let attemptId: string;
  let bank: BankQuestion[];
  // As the site's own pages do: a state-changing request without the site's Origin is refused as cross-site.
  const api = (path: string, init: RequestInit & { cookie?: string } = {}) =>
    fetch(`${site.server.url}${path}`, { ...init, headers: { ...(init.headers ?? {}), origin: site.server.url, cookie: init.cookie ?? site.cookie } });

  beforeAll(async () => {
    bank = (parse(await fs.readFile(quizFilePath(6), "utf8")) as { questions: BankQuestion[] }).questions;
  });

  it("lets the student reach the lesson from the course page and read it", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.getByRole("link", { name: /Lesson 6: Image Classification and Transfer Learning/ }).click();
    await page.waitForURL(/\/lessons\/6$/);
    expect(await page.getByRole("heading", { level: 1, name: "Image Classification and Transfer Learning" }).isVisible()).toBe(true);

    const toc = page.getByRole("navigation", { name: "Table of contents" });
    expect(await toc.getByRole("link").count()).toBeGreaterThanOrEqual(8);
    await toc.getByRole("link", { name: /Evaluating a classifier/ }).click();
    await page.waitForURL(/#evaluating-classifiers$/);

    // Figures drawn from data, code highlighted by highlight.js, Keras beside the spec.
    for (const figure of ["cnn-layers", "confusion-matrix", "roc-curve"]) {
      expect(await page.locator(`[data-figure=${figure}] svg`).count()).toBe(1);
    }
    expect(await page.locator("[data-figure=cnn-layers]").textContent()).toContain("122,570");
    expect(await page.locator("[data-example] .hljs-keyword").count()).toBeGreaterThan(5);
    expect(await page.locator("[data-example]").count()).toBe(3);
    expect(await page.locator("#convolutional-layers").count()).toBe(1); // rehype-slug anchors on subheadings
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "lesson-6-page");
    await page.locator("[data-figure=confusion-matrix]").scrollIntoViewIfNeeded();
    await page.locator("[data-figure=confusion-matrix]").screenshot({ path: path.join(ARTIFACTS_DIR, "lesson-6-confusion-matrix.png") });
    await page.locator("[data-figure=cnn-layers]").screenshot({ path: path.join(ARTIFACTS_DIR, "lesson-6-cnn-layers.png") });
    await page.locator("[data-example]").first().screenshot({ path: path.join(ARTIFACTS_DIR, "lesson-6-example.png") });
    await page.close();
  });

  it("never sends the answer key or explanations before the attempt is submitted", async () => {
    const landing = await api("/courses/cv-fundamentals/lessons/6/quiz");
    expect(landing.status).toBe(200);
    const landingHtml = await landing.text();
    quizId = /\/api\/quizzes\/([0-9a-f-]{36})\/attempts/.exec(landingHtml)?.[1] ?? "";
    if (!quizId) {
      // The id reaches the page through the start button's props in the RSC payload.
      quizId = /"quizId":"([0-9a-f-]{36})"/.exec(landingHtml.replaceAll('\\"', '"'))?.[1] ?? "";
    }
    expect(quizId).toMatch(/^[0-9a-f-]{36}$/);

    const started = await api(`/api/quizzes/${quizId}/attempts`, { method: "POST" });
    expect(started.status).toBe(201);
    attemptId = ((await started.json()) as { attemptId: string }).attemptId;

    const json = await (await api(`/api/quizzes/${quizId}/attempts/${attemptId}`)).text();
    const html = await (await api(`/courses/cv-fundamentals/lessons/6/quiz/attempts/${attemptId}`)).text();
    const view = JSON.parse(json) as { status: string; questions: { id: string }[] };
    expect(view.status).toBe("open");
    expect(view.questions).toHaveLength(10);
    // Choices go out under the attempt's opaque ids only, never the bank's (a, b, …).
    const inputValues = [...html.matchAll(/<input[^>]*type="(?:radio|checkbox)"[^>]*>/g)].map((m) => /value="([^"]*)"/.exec(m[0])?.[1]);
    expect(inputValues.length).toBeGreaterThanOrEqual(40);
    for (const value of inputValues) expect(value).toMatch(/^[a-z2-7]{16}$/);
    for (const body of [json, html]) expect(body).not.toMatch(/\\?"id\\?":\\?"[a-h]\\?"/);
    for (const body of [json, html, landingHtml]) {
      expect(body).not.toMatch(/\\?"correct\\?"\s*:/);
      expect(body).not.toMatch(/\\?"explanation\\?"\s*:/);
      for (const q of bank) expect(body).not.toContain(q.explanation.slice(0, 60));
    }
    // The page does render the questions it is allowed to show.
    const firstPrompt = bank.find((q) => q.id === view.questions[0]!.id);
    expect(firstPrompt).toBeDefined();
  });

  it("answers malformed or foreign submissions with clear 4xx errors", async () => {
    const url = `/api/quizzes/${quizId}/attempts/${attemptId}/submit`;
    const post = (body: string) => api(url, { method: "POST", body, headers: { "content-type": "application/json" } });

    const notJson = await post("{answers:");
    expect(notJson.status).toBe(422);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/must be JSON/);

    const wrongShape = await post(JSON.stringify({ answers: { "conv-parameters": "a" } }));
    expect(wrongShape.status).toBe(422);

    const view = (await (await api(`/api/quizzes/${quizId}/attempts/${attemptId}`)).json()) as { questions: { id: string }[] };
    const foreign = bank.find((q) => !view.questions.some((v) => v.id === q.id))!;
    const res = await post(JSON.stringify({ answers: { [foreign.id]: ["a"] } }));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ issues: [{ path: `answers.${foreign.id}`, message: "this question is not part of this attempt" }] });

    const stranger = await fetch(`${site.server.url}${url}`, { method: "POST", body: "{}", headers: { origin: site.server.url } });
    expect(stranger.status).toBe(401);
    const statsAsStudent = await api(`/api/quizzes/${quizId}/statistics`);
    expect(statsAsStudent.status).toBe(403);
  });

  it("lets the student take the quiz, submit, and see the score and explanations", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1100, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/lessons/6/quiz`);
    await screenshot(page, "quiz-landing");
    await page.getByRole("button", { name: "Continue attempt 1" }).click();
    await page.waitForURL(new RegExp(`/attempts/${attemptId}$`));
    const questions = page.getByTestId("quiz-question");
    await questions.first().waitFor();
    expect(await questions.count()).toBe(10);
    expect(await page.getByRole("timer").textContent()).toMatch(/^(19|20):\d\d$/);

    // Answer every question with its right choices, except the first, which gets a wrong one. The
    // page knows choices only by the attempt's ids, so the key is found by choice text.
    const shown = ((await (await api(`/api/quizzes/${quizId}/attempts/${attemptId}`)).json()) as { questions: ShownQuestion[] }).questions;
    for (let i = 0; i < 10; i++) {
      const question = questions.nth(i);
      const id = (await question.getAttribute("data-question-id"))!;
      const bankQuestion = bank.find((q) => q.id === id)!;
      const rightTexts = bankQuestion.choices.filter((c) => bankQuestion.correct.includes(c.id)).map((c) => c.text);
      const key = shown.find((q) => q.id === id)!.choices.filter((c) => rightTexts.includes(c.text)).map((c) => c.id);
      expect(key).toHaveLength(bankQuestion.correct.length);
      const choices = question.locator("input");
      const values = await choices.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
      const pick = i === 0 ? values.filter((v) => !key.includes(v)).slice(0, 1) : key;
      for (const value of pick) await question.locator(`input[value="${value}"]`).check();
    }
    expect(await page.getByTestId("answered-count").textContent()).toBe("10 of 10 answered");
    await screenshot(page, "quiz-attempt-open");
    await page.getByRole("button", { name: "Submit answers" }).click();

    const score = page.getByTestId("attempt-score");
    await score.waitFor({ timeout: 30_000 });
    expect(await score.textContent()).toMatch(/^9 \/ 10/);
    expect(await page.getByTestId("question-explanation").count()).toBe(10);
    expect(await page.getByText("incorrect", { exact: true }).count()).toBe(1);
    await screenshot(page, "quiz-attempt-result");
    await page.close();
  });

  it("treats the submitted attempt as final: the same answers again change nothing, others are refused", async () => {
    const view = (await (await api(`/api/quizzes/${quizId}/attempts/${attemptId}`)).json()) as {
      score: number;
      questions: { id: string; result: { selected: string[] } }[];
    };
    expect(view.score).toBe(9);
    const answers = Object.fromEntries(view.questions.map((q) => [q.id, q.result.selected]));
    const url = `/api/quizzes/${quizId}/attempts/${attemptId}/submit`;
    const again = await api(url, { method: "POST", body: JSON.stringify({ answers }) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ recorded: false, attempt: { score: 9 } });
    const changed = await api(url, { method: "POST", body: JSON.stringify({ answers: { ...answers, [view.questions[0]!.id]: [] } }) });
    expect(changed.status).toBe(409);
  });

  it("shows the instructor per-question statistics, best scores and a CSV export", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Quiz statistics" }).click();
    await page.waitForURL(/\/instructor\/quizzes$/);
    await page.getByRole("link", { name: /Lesson 6 quiz/ }).click();
    await page.waitForURL(/\/courses\/cv-fundamentals\/lessons\/6\/quiz\/statistics$/);
    expect(await page.getByTestId("stats-attempts").textContent()).toBe("1");
    const rows = page.getByTestId("item-statistics").locator("tr[data-question-id]");
    expect(await rows.count()).toBe(bank.length);
    // With one attempt: the ten drawn questions have a facility of 0% or 100%, the others none.
    const facilities = await page.getByTestId("facility").allTextContents();
    expect(facilities.filter((f) => f === "100%")).toHaveLength(9);
    expect(facilities.filter((f) => f === "0%")).toHaveLength(1);
    expect(await page.getByTestId("best-scores").textContent()).toContain(DEMO_STUDENT.email);
    await screenshot(page, "quiz-instructor-statistics");
    await page.close();

    const instructorCookie = await sessionCookie(site.server.url, DEMO_INSTRUCTOR);
    const csv = await api(`/api/quizzes/${quizId}/scores.csv`, { cookie: instructorCookie });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("name,email,attempts,best_score,max_score,best_percent,last_submitted_at");
    expect(lines.find((l) => l.includes(DEMO_STUDENT.email))).toMatch(/,1,9,10,90,/);
  });

  it("reports no Content-Security-Policy violation on any page it opened", () => {
    expect(cspViolations(site.browser)).toEqual([]);
  });
});

if (!hasChromium) console.warn(NO_CHROMIUM);
