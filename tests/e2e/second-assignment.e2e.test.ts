import { describe, expect, it } from "vitest";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { sessionCookie } from "./helpers/http-session";
import { useRunningSite } from "./helpers/running-site";
import { smallCnnLayers } from "../helpers/small-cnn";

if (!hasChromium) console.warn(`[tests] ${NO_CHROMIUM}`);

const COURSE = "/courses/cv-fundamentals";
const A7 = `${COURSE}/assignments/7`;
/** Two epochs of a small CNN on 2,000 digits, then 600 held-out ones: well under a minute on two cores. */
const GRADING_TIMEOUT_MS = 240_000;

/** A spec for Assignment 7 (28×28 grey digits, ten classes) that grades in seconds. */
const DIGITS_SPEC = JSON.stringify({
  kind: "cnn",
  name: "digits e2e",
  layers: smallCnnLayers(10, 8),
  training: { epochs: 2, batchSize: 64, learningRate: 0.003 },
});

describe.skipIf(!hasChromium)("Assignment 7, added to the course as files only, walked by a student and an instructor", () => {
  // A queue prefix of our own, so parallel test files sharing one Redis never take our jobs; with Redis the web only
  // enqueues, and a grader worker process grades, as in production.
  const site = useRunningSite({ browser: true, graderWorker: true, env: { GRADER_QUEUE_PREFIX: `e2e-a7-${crypto.randomUUID().slice(0, 8)}` } });
  let submissionId = "";

  it("shows the student both assignments, and Assignment 7's own brief, classes, input and budget", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(site.server.url + COURSE);
    expect(await page.getByRole("link", { name: /^Assignment 6: classify shapes/ }).count()).toBe(1);
    await page.getByRole("link", { name: "Assignment 7: read handwritten digits" }).click();
    await page.waitForURL((u) => u.pathname === A7);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Assignment 7: read handwritten digits");
    expect(await page.getByTestId("classes").textContent()).toBe("0, 1, 2, 3, 4, 5, 6, 7, 8, 9");
    const facts = (await page.getByTestId("assignment-facts").textContent()) ?? "";
    expect(facts).toContain("28×28 pixels, 1 channel");
    expect(facts).toContain("≤ 100,000 parameters");
    expect(await page.getByTestId("submissions-left").textContent()).toBe("5 of 5");
    // Its own rubric, and no link to a Lesson 7 that does not exist.
    expect(await page.getByText("Reading the errors").count()).toBe(1);
    expect(await page.getByRole("link", { name: "Lesson 7" }).count()).toBe(0);
    // The navigation is built from the course: both assignments, one lesson.
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Assignment 7" }).getAttribute("href")).toBe(A7);
    expect(await nav.getByRole("link", { name: "Assignment 6" }).getAttribute("href")).toBe(`${COURSE}/assignments/6`);
    await screenshot(page, "second-assignment-student");
    await page.close();
  }, 120_000);

  it("grades the student's pasted spec on the digits and ranks it on Assignment 7's leaderboard only", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(site.server.url + A7);
    await page.getByRole("tab", { name: "Paste or upload a spec" }).click();
    await page.getByLabel("Spec (JSON or YAML)").fill(DIGITS_SPEC);
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    submissionId = page.url().split("/").pop()!;
    expect(await page.getByRole("link", { name: "Assignment 7" }).first().getAttribute("href")).toBe(A7);
    try {
      await page.locator('[data-chart="confusion-matrix"]').first().waitFor({ timeout: GRADING_TIMEOUT_MS });
    } catch (e) {
      throw new Error(`no report after ${GRADING_TIMEOUT_MS / 1000} s; status: ${await page.getByTestId("submission-status").textContent()}\n${site.server.logs().slice(-3000)}\n${site.worker?.logs().slice(-3000) ?? ""}`, { cause: e });
    }
    expect(await page.getByTestId("submission-status").textContent()).toBe("succeeded");
    // Ten classes on the confusion matrix: the report is Assignment 7's, not Assignment 6's five shapes.
    const heatmap = (await page.locator('[data-chart="confusion-matrix"]').first().textContent()) ?? "";
    for (const digit of ["0", "5", "9"]) expect(heatmap).toContain(digit);
    expect(heatmap).not.toContain("circle");
    await screenshot(page, "second-assignment-report");

    await page.goto(`${site.server.url}${A7}/leaderboard`);
    const board = page.getByTestId("leaderboard");
    expect(await board.locator("tbody tr").count()).toBe(1);
    expect(await board.textContent()).toContain("(you)");
    await page.goto(`${site.server.url}${COURSE}/assignments/6/leaderboard`);
    expect(await page.getByTestId("leaderboard").textContent()).toContain("No graded submissions yet");
    await page.close();
  }, GRADING_TIMEOUT_MS + 60_000);

  it("keeps Assignment 7's instructor pages from the student (403) and answers 404 for a lesson the course lacks", async () => {
    const cookie = await sessionCookie(site.server.url, DEMO_STUDENT);
    for (const p of ["submissions", "gradebook", "gradebook/gradebook.csv", "datasets"]) {
      const res = await fetch(`${site.server.url}${A7}/${p}`, { headers: { cookie } });
      expect(res.status, p).toBe(403);
      await res.body?.cancel();
    }
    const missing = await fetch(`${site.server.url}${COURSE}/lessons/7`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    await missing.body?.cancel();
    // The course has assignments 6, 7 and 8 (on students' own datasets); 99 is one it lacks.
    const noSuchAssignment = await fetch(`${site.server.url}${COURSE}/assignments/99`, { headers: { cookie } });
    expect(noSuchAssignment.status).toBe(404);
    await noSuchAssignment.body?.cancel();
  });

  it("gives the instructor Assignment 7's submissions, gradebook, CSV and datasets from the dashboard", async () => {
    expect(submissionId).not.toBe("");
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/instructor`);
    const row = page.getByRole("row", { name: /Assignment 7: read handwritten digits/ });
    await row.getByRole("link", { name: "All submissions" }).click();
    await page.waitForURL((u) => u.pathname === `${A7}/submissions`);
    const list = page.getByTestId("submissions");
    expect(await list.locator(`a[href="/submissions/${submissionId}"]`).count()).toBe(1);
    expect(await list.textContent()).toContain(DEMO_STUDENT.email);

    await page.getByRole("link", { name: "Gradebook" }).first().click();
    await page.waitForURL((u) => u.pathname === `${A7}/gradebook`);
    // Assignment 7's own weights: no quiz, 0.7 assignment, 0.3 report.
    expect(await page.getByTestId("formula").textContent()).toMatch(/Final = 0 × quiz \+ 0\.7 × assignment \+ 0\.3 × report/);
    expect(await page.getByTestId("gradebook").textContent()).toContain(DEMO_STUDENT.email);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("gradebook-cv-fundamentals-assignment-7.csv");
    await screenshot(page, "second-assignment-gradebook");

    await page.goto(`${site.server.url}${A7}/datasets`);
    expect(await page.getByRole("heading", { name: "Training set" }).count()).toBe(1);
    const train = page.getByTestId("train-classes");
    expect(await train.locator("tbody tr").count()).toBe(10);
    expect(await page.getByText("built-in MNIST (2000 digits)").count()).toBeGreaterThan(0);
    await screenshot(page, "second-assignment-datasets");

    // The old single-assignment address has two assignments to choose from now: the dashboard.
    await page.goto(`${site.server.url}/instructor/gradebook`);
    await page.waitForURL((u) => u.pathname === "/instructor");
    await page.close();
    expect(cspViolations(site.browser)).toEqual([]);
  }, 180_000);
});
