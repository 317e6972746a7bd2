import os from "node:os";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_COURSE, DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { hasChromium, screenshot, signIn } from "./helpers/browser";
import { checkA11y, FASHION, uploadDataset, useFashionZip, warnIfSkipped } from "./helpers/own-dataset-walk";
import { useRunningSite } from "./helpers/running-site";

warnIfSkipped("custom-dataset assignment walk");

const COURSE = `/courses/${DEMO_COURSE.slug}`;
/** Assignment 6 on your own dataset: assignments/custom-dataset/assignment.yaml. */
const ASSIGNMENT = `${COURSE}/assignments/8`;
/** Three real trainings (graded transfer recipe, the platform's baseline, a practice CNN) on a busy two-core machine. */
const RUN_TIMEOUT_MS = 20 * 60_000;

/** Reloads `url` until the submission's status reads `succeeded`. */
async function waitSucceeded(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid="submission-status"]')?.textContent === "succeeded", undefined, { timeout: RUN_TIMEOUT_MS, polling: 2000 });
}

/**
 * Issue 13's walk in Chromium on a production server: a student uploads a real-image dataset for Assignment 6 on
 * their own dataset, submits a transfer recipe on it for grading (the platform trains its baseline on the same
 * data), runs the lesson's CNN on it for practice, writes the report on the platform embedding the graded run and a
 * comparison, and hands it in; the instructor sees the dataset, the runs and the embedded figures, the gradebook's
 * two parts, and grades the report with the rubric; the student then reads the grade and the comment.
 */
describe.skipIf(!hasChromium || !FASHION)("Assignment 6 on your own dataset, from upload to rubric grade (Chromium)", () => {
  const site = useRunningSite({ browser: true, graderWorker: true, env: { GRADER_QUEUE_PREFIX: `tge2e-custom-${process.pid}` } });
  const zip = useFashionZip("footwear.zip", "sneaker,sandal,ankle-boot", 60);

  it("a student submits on their dataset and hands in a report with embedded runs; the instructor grades it; the student reads the grade", async () => {
    const t0 = Date.now();
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);

    // 1. Upload the dataset for Assignment 8 at 32 px colour (the size of the pretrained bases).
    await page.goto(`${site.server.url}${COURSE}/datasets`);
    const datasetPath = await uploadDataset(page, { name: "Footwear", assignment: "8", inputSize: "32", zip: zip.path });
    await page.getByTestId("quality-panel").waitFor();

    // 2. The assignment page: no fixed classes, the score explained as an improvement, the dataset to choose.
    await page.goto(`${site.server.url}${ASSIGNMENT}`);
    expect(await page.getByTestId("score-rule").textContent()).toMatch(/minus the platform.s baseline/);
    const choice = page.getByTestId("dataset-choice");
    expect(await choice.getByLabel("Your dataset").locator("option").allTextContents()).toEqual([expect.stringMatching(/^Footwear — 3 classes, 180 images, 32 px colour$/)]);
    await page.getByRole("tab", { name: "Build a transfer recipe" }).click();
    await page.getByTestId("presets").getByRole("button", { name: "Transfer from fashion-base" }).click();
    await checkA11y(page, "assignment 8 page at 1280");
    await screenshot(page, "custom-dataset-assignment-1280");
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    const gradedPath = new URL(page.url()).pathname;
    const gradedId = gradedPath.split("/").pop()!;
    const card = page.getByTestId("dataset-baseline");
    expect(await card.textContent()).toContain("Footwear");
    expect(await card.getByTestId("baseline-state").textContent()).toMatch(/baseline on this dataset is (waiting in the grading queue|training now|finished)/);

    // 3. A practice run of the lesson's CNN on the same dataset, for the comparison.
    await page.goto(`${site.server.url}${datasetPath}`);
    const section = page.getByTestId("practice-runs");
    await section.getByTestId("practice-presets").getByRole("button", { name: "Simple CNN from the lesson" }).click();
    await section.getByRole("button", { name: "Start practice run" }).click();
    const started = section.getByTestId("practice-started");
    await started.waitFor({ timeout: 60_000 });
    const practicePath = (await started.getByRole("link", { name: "Watch it train" }).getAttribute("href"))!;
    const practiceId = practicePath.split("/").pop()!;

    // 4. The graded run and its score against the baseline (whichever of the two finished last computed it).
    await waitSucceeded(page, `${site.server.url}${gradedPath}`);
    await expect.poll(async () => {
      await page.reload();
      return page.getByTestId("improvement-formula").count();
    }, { timeout: RUN_TIMEOUT_MS, interval: 3000 }).toBe(1);
    expect(await page.getByTestId("improvement-formula").textContent()).toMatch(/baseline.s \d\.\d{3}: an improvement of [+−]\d\.\d{3}/);
    expect(await page.getByTestId("counts").textContent()).toMatch(/This is the submission that counts/);
    // One split: the dataset's test part, not a public/private half of a held-out set.
    expect(await page.getByTestId("metrics-table").textContent()).toContain("test split of Footwear");
    expect(await page.getByText("The private part of the held-out set is scored too").count()).toBe(0);
    await checkA11y(page, "graded submission on own data at 1280");
    await screenshot(page, "custom-dataset-graded-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await checkA11y(page, "graded submission on own data at 390");
    await screenshot(page, "custom-dataset-graded-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    await waitSucceeded(page, `${site.server.url}${practicePath}`);

    // 5. The report, written on the platform: the graded run's metrics table and a comparison with the practice CNN.
    await page.goto(`${site.server.url}${ASSIGNMENT}`);
    const editor = page.getByLabel("Report (Markdown)");
    await editor.fill("# Footwear: transfer learning against the lesson's CNN\n\nData: 60 photos per class from Fashion-MNIST.\n\n");
    await page.getByLabel("Insert a run").selectOption(gradedId);
    await page.getByRole("button", { name: "Insert", exact: true }).click();
    await page.getByText("Insert a comparison").click();
    await page.getByRole("checkbox", { name: /^Transfer from fashion-base/ }).check();
    await page.getByRole("checkbox", { name: /^Simple CNN from the lesson/ }).check();
    await page.getByRole("button", { name: "Insert comparison" }).click();
    expect(await editor.inputValue()).toContain(`{{run ${gradedId}}}`);
    expect(await editor.inputValue()).toMatch(new RegExp(`\\{\\{compare (${gradedId} ${practiceId}|${practiceId} ${gradedId})\\}\\}`));
    const preview = page.getByTestId("report-preview");
    await preview.getByText(/^Figure 1: metrics of Transfer from fashion-base/).waitFor();
    await preview.getByText(/^Figure 2: comparison of/).waitFor();
    await page.getByTestId("report-save-state").getByText(/^Saved /).waitFor({ timeout: 20_000 });
    await screenshot(page, "custom-dataset-report-editor-1280");
    await page.getByRole("button", { name: "Hand in" }).click();
    await page.getByRole("button", { name: "Yes, hand it in" }).click();
    await page.getByTestId("report-handed-in").waitFor();
    await context.close();

    // 6. The instructor: the dataset, the gradebook's two parts, the submission with its report's figures, the rubric.
    const prof = await (await site.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(prof, site.server.url, DEMO_INSTRUCTOR);
    await prof.goto(`${site.server.url}${datasetPath}`);
    await prof.getByTestId("quality-panel").waitFor();
    expect(await prof.locator("main").textContent()).toContain("Simple CNN from the lesson");
    await screenshot(prof, "custom-dataset-instructor-dataset-1280");
    await prof.goto(`${site.server.url}${ASSIGNMENT}/gradebook`);
    const metricPart = prof.getByTestId("metric-part").first();
    expect(await metricPart.textContent()).toMatch(/^macroF1 \d\.\d{3} vs baseline \d\.\d{3} \([+−]\d\.\d{3}\)$/);
    await checkA11y(prof, "gradebook of assignment 8");
    await screenshot(prof, "custom-dataset-gradebook-1280");
    await prof.goto(`${site.server.url}${gradedPath}`);
    const written = prof.getByTestId("instructor-written-report");
    expect(await written.textContent()).toContain("Footwear: transfer learning against the lesson's CNN");
    await written.getByText(/^Figure 1: metrics of Transfer from fashion-base/).waitFor();
    await written.getByText(/^Figure 2: comparison of/).waitFor();
    expect(await prof.getByTestId("dataset-baseline").textContent()).toContain("Footwear");
    const form = prof.getByRole("form", { name: "Rubric" });
    expect(await form.getByTestId("rubric-no-report").count()).toBe(0);
    for (const [label, points] of [["Data preparation (0–25)", "20"], ["Model training (0–25)", "22"], ["Evaluation (0–30)", "24"], ["Findings (0–20)", "15"]] as const) {
      await form.getByLabel(label).fill(points);
    }
    await form.getByLabel("Comment").fill("Clear comparison; say which footwear classes the baseline confused.");
    await form.getByRole("button", { name: "Save rubric grade" }).click();
    await form.getByText("Saved: 81 / 100").waitFor();
    await checkA11y(prof, "instructor's submission page with the report and rubric");
    await screenshot(prof, "custom-dataset-instructor-grading-1280");
    await prof.context().close();

    // 7. The student reads the rubric grade and the comment.
    const back = await (await site.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(back, site.server.url, DEMO_STUDENT);
    await back.goto(`${site.server.url}${gradedPath}`);
    const grade = back.getByTestId("rubric-grade");
    expect(await grade.getByTestId("rubric-total").textContent()).toMatch(/Total\s*81 \/ 100/);
    expect(await grade.getByTestId("rubric-comment").textContent()).toBe("Clear comparison; say which footwear classes the baseline confused.");
    await checkA11y(back, "student's graded submission at 390");
    await screenshot(back, "custom-dataset-student-grade-390");
    await back.context().close();
    console.log(`[custom-dataset e2e] walked in ${((Date.now() - t0) / 1000).toFixed(0)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  }, 3 * RUN_TIMEOUT_MS);
});
