import os from "node:os";
import { describe, expect, it } from "vitest";
import { DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { hasChromium, screenshot, signIn } from "./helpers/browser";
import { checkA11y, FASHION, uploadDataset, useFashionZip, warnIfSkipped } from "./helpers/own-dataset-walk";
import { useRunningSite } from "./helpers/running-site";

warnIfSkipped("Activity walk");

const COURSE = "/courses/cv-fundamentals";
/** Grading two real runs on a busy two-core machine can take many minutes. */
const RUN_TIMEOUT_MS = 25 * 60_000;

/**
 * The lesson's Activity, walked as a student in Chromium on a production server: make a Fashion-MNIST subset zip with
 * `npm run datasets:export`, upload it under My datasets, read its data-quality panel, run the lesson's simple CNN and
 * a transfer recipe on it as practice runs, watch one train on its report page, and compare the two.
 */
describe.skipIf(!hasChromium || !FASHION)("the Activity: own dataset, two practice runs, compared (Chromium)", () => {
  const site = useRunningSite({ browser: true, graderWorker: true, env: { GRADER_QUEUE_PREFIX: `tge2e-practice-${process.pid}` } });
  const zip = useFashionZip("clothing.zip", "shirt,sneaker,bag,dress,coat", 300);

  it("uploads, runs the simple CNN and a transfer recipe as practice runs, and compares them", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);

    // Upload (H1's page): 1,500 photos of five kinds of clothing, read at 32×32 in colour so the course's bases fit.
    await page.goto(`${site.server.url}${COURSE}/datasets`);
    const datasetPath = await uploadDataset(page, { name: "Clothing for the Activity", inputSize: "32", zip: zip.path });
    await page.getByTestId("quality-panel").waitFor();
    expect(await page.getByTestId("split-sizes").textContent()).toBe("1050 / 225 / 225");

    // Practice run 1: the lesson's simple CNN, sized to five classes by the preset.
    const section = page.getByTestId("practice-runs");
    await section.waitFor();
    expect(await section.getByTestId("practice-quota").textContent()).toMatch(/^20 of 20 practice runs left today/);
    const presets = section.getByTestId("practice-presets");
    await presets.getByRole("button", { name: "Simple CNN from the lesson" }).click();
    await section.getByRole("button", { name: "Start practice run" }).click();
    const started = section.getByTestId("practice-started");
    await started.waitFor({ timeout: 60_000 });
    const cnnHref = await started.getByRole("link", { name: "Watch it train" }).getAttribute("href");
    expect(cnnHref).toMatch(/^\/submissions\/[0-9a-f-]{36}$/);

    // Practice run 2: the transfer recipe on the base pretrained on other clothing photos.
    await presets.getByRole("button", { name: "Transfer from fashion-base" }).click();
    await section.getByRole("button", { name: "Start practice run" }).click();
    await page.waitForFunction((first) => {
      const link = document.querySelector('[data-testid="practice-started"] a');
      return link !== null && link.getAttribute("href") !== first;
    }, cnnHref, { timeout: 60_000 });
    const transferHref = await section.getByTestId("practice-started").getByRole("link").getAttribute("href");
    await expect.poll(async () => section.locator('input[name="runs"], [data-testid="run-status"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await checkA11y(page, "dataset page with practice runs at 1280");
    await screenshot(page, "practice-runs-dataset-1280");

    // Watch the CNN train on its report page: live progress, labelled as an ungraded run on this dataset.
    await page.goto(`${site.server.url}${cnnHref}`);
    expect(await page.getByTestId("practice-label").textContent()).toBe("Practice run — ungraded, on Clothing for the Activity");
    const t0 = Date.now();
    // Live progress while it trains (or, on a fast machine, the finished report straight away).
    await Promise.race([
      page.getByTestId("progress-text").waitFor({ timeout: RUN_TIMEOUT_MS }),
      page.getByTestId("submission-status").filter({ hasText: "succeeded" }).waitFor({ timeout: RUN_TIMEOUT_MS }),
    ]);
    await screenshot(page, "practice-run-training-1280");
    await page.waitForFunction(() => document.querySelector('[data-testid="submission-status"]')?.textContent === "succeeded", undefined, { timeout: RUN_TIMEOUT_MS, polling: 2000 });
    await page.reload();
    await page.getByTestId("report").waitFor();
    // Metrics on the dataset's test split: 225 photos, no public/private halves, no score.
    const metrics = page.getByTestId("metrics-table");
    expect(await metrics.textContent()).toContain("test split of Clothing for the Activity");
    expect(await metrics.textContent()).toContain("225");
    expect(await page.getByTestId("score-note").textContent()).toMatch(/not scored/);
    expect(await page.getByText(/Confusion matrix, test split of Clothing for the Activity/).count()).toBeGreaterThan(0);
    expect(await page.getByTestId("counts").count()).toBe(0);
    await checkA11y(page, "practice run report at 1280");
    await screenshot(page, "practice-run-report-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await checkA11y(page, "practice run report at 390");
    await screenshot(page, "practice-run-report-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    console.log(`[practice-runs e2e] CNN report after ${((Date.now() - t0) / 1000).toFixed(0)} s on its page; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);

    // Wait for the transfer run, then compare the two on the dataset page.
    await page.goto(`${site.server.url}${transferHref}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="submission-status"]')?.textContent === "succeeded", undefined, { timeout: RUN_TIMEOUT_MS, polling: 2000 });
    await page.goto(`${site.server.url}${datasetPath}`);
    const boxes = page.getByTestId("practice-runs").locator('input[name="runs"]');
    await expect.poll(() => boxes.count(), { timeout: 30_000 }).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId("practice-runs").getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(/\/compare\?runs=/, { timeout: 60_000 });
    expect(page.url()).toContain(`${datasetPath}/compare?runs=`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    const compared = await page.locator("main").textContent();
    expect(compared).toContain("Simple CNN from the lesson");
    expect(compared).toContain("Transfer from fashion-base");
    await checkA11y(page, "compare page at 1280");
    await screenshot(page, "practice-compare-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await checkA11y(page, "compare page at 390");
    await screenshot(page, "practice-compare-390");
    await page.goto(`${site.server.url}${datasetPath}`);
    await page.getByTestId("practice-runs").waitFor();
    await checkA11y(page, "dataset page with practice runs at 390");
    await screenshot(page, "practice-runs-dataset-390");
    await context.close();
  }, 2 * RUN_TIMEOUT_MS + 600_000);
});
