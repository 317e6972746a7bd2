import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";

if (!hasChromium) console.warn(`[tests] ${NO_CHROMIUM}`);

/** A spec that passes Assignment 6's checks and grades in seconds. */
const TINY_SPEC = JSON.stringify({
  kind: "cnn",
  name: "rubric check",
  layers: [{ type: "flatten" }, { type: "dense", units: 5, activation: "softmax" }],
  training: { epochs: 1, batchSize: 64 },
});

/** Submits the tiny spec from the student's signed-in page, with a markdown written report or without one; returns the id. */
async function submit(page: Page, report: string | null): Promise<string> {
  return page.evaluate(
    async ({ spec, report }) => {
      const data = new FormData();
      data.set("mode", "spec");
      data.set("spec", spec);
      data.set("idempotencyKey", crypto.randomUUID());
      if (report !== null) data.set("report", new File([report], "report.md", { type: "text/markdown" }));
      const res = await fetch("/api/assignments/6/submissions", { method: "POST", body: data });
      const body = (await res.json()) as { id?: string; error?: string };
      if (!body.id) throw new Error(`submit answered ${res.status}: ${body.error}`);
      return body.id;
    },
    { spec: TINY_SPEC, report },
  );
}

describe.skipIf(!hasChromium)("the written-report rubric, graded by the instructor and read by the student, in a real browser", () => {
  const site = useRunningSite({ browser: true });
  let withReport = "";
  let withoutReport = "";

  it("shows the student 'not graded yet' on their submission before the instructor grades it", async () => {
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6`);
    withReport = await submit(page, "# Report\n\nAugmentation, the CNN, the confusion matrix.\n");
    withoutReport = await submit(page, null);
    await page.goto(`${site.server.url}/submissions/${withReport}`);
    const section = page.getByTestId("rubric-grade");
    expect(await section.textContent()).toContain("Not graded yet");
    expect(await section.textContent()).toContain("counts 30% of the lesson grade");
    await page.close();
  }, 120_000);

  it("warns the instructor on a submission with no written report and saves only once 'Grade it anyway' is ticked", async () => {
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/submissions/${withoutReport}`);
    const form = page.getByRole("form", { name: "Rubric" });
    expect(await form.getByTestId("rubric-no-report").textContent()).toMatch(/^This submission has no written report — /);
    for (const [label, points] of [["Data preparation (0–20)", "0"], ["Model design (0–25)", "0"], ["Evaluation (0–30)", "0"], ["Comparison and conclusions (0–25)", "0"]] as const) {
      await form.getByLabel(label).fill(points);
    }
    await form.getByRole("button", { name: "Save rubric grade" }).click();
    await form.locator("#rubric-confirmNoReport-error").waitFor();
    expect(await form.locator("#rubric-confirmNoReport-error").textContent()).toContain('tick "Grade it anyway"');
    // The refused save keeps what was typed.
    expect(await form.getByLabel("Evaluation (0–30)").inputValue()).toBe("0");
    await screenshot(page, "rubric-no-report-warning");
    // Ticked, the same points are saved (e.g. 0 for a report that never came).
    await form.getByLabel("Grade it anyway (no written report)").check();
    await form.getByRole("button", { name: "Save rubric grade" }).click();
    await form.getByText("Saved: 0 / 100").waitFor();
    await page.close();
  }, 120_000);

  it("lets the student read the points, the total and the comment once the instructor grades the report", async () => {
    const prof = await site.browser.newPage();
    await signIn(prof, site.server.url, DEMO_INSTRUCTOR);
    await prof.goto(`${site.server.url}/submissions/${withReport}`);
    const form = prof.getByRole("form", { name: "Rubric" });
    expect(await form.getByTestId("rubric-no-report").count()).toBe(0);
    for (const [label, points] of [["Data preparation (0–20)", "18"], ["Model design (0–25)", "20"], ["Evaluation (0–30)", "25"], ["Comparison and conclusions (0–25)", "20"]] as const) {
      await form.getByLabel(label).fill(points);
    }
    await form.getByLabel("Comment").fill("Good evaluation; explain why circles and ellipses are confused.");
    await form.getByRole("button", { name: "Save rubric grade" }).click();
    await form.getByText("Saved: 83 / 100").waitFor();
    await prof.close();

    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/submissions/${withReport}`);
    const section = page.getByTestId("rubric-grade");
    expect(await section.getByTestId("rubric-total").textContent()).toMatch(/Total\s*83 \/ 100/);
    expect(await section.getByTestId("rubric-comment").textContent()).toBe("Good evaluation; explain why circles and ellipses are confused.");
    expect(await section.getByTestId("rubric-weighted").textContent()).toContain("worth 24.9 of the 30 points");
    await screenshot(page, "rubric-grade-student");
    await page.close();
  }, 120_000);

  it("reports no Content-Security-Policy violation on any page it opened", () => {
    expect(cspViolations(site.browser)).toEqual([]);
  });
});
