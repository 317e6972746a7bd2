/**
 * Shared steps of the walks on a student's own dataset (own-datasets, practice-runs, custom-dataset-assignment):
 * the Fashion-MNIST check, the zip a student makes with `npm run datasets:export`, the upload form, and the
 * accessibility check each page of those walks gets.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { sourceAvailable } from "@/grader/data/real-image-sources";
import { hasChromium, NO_CHROMIUM } from "./browser";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Whether the Fashion-MNIST files the walks export their datasets from are installed. */
export const FASHION = sourceAvailable("fashion-mnist");

/** Says on the console why `walk` will be skipped on this machine, if it will. */
export function warnIfSkipped(walk: string): void {
  if (!hasChromium) console.warn(NO_CHROMIUM);
  if (!FASHION) console.warn(`Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): the ${walk} in Chromium is skipped`);
}

/** axe-core (no serious or critical violation) and no sideways scrolling, at the page's current width. */
export async function checkA11y(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, `${what}: the document is wider than the viewport`).toBeLessThanOrEqual(clientWidth);
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  expect(bad, what).toEqual([]);
}

/**
 * Call inside a describe: before its tests, exports a Fashion-MNIST subset of `classes` (comma-separated), `perClass`
 * images each, as a zip of class folders with the command a student runs (README, "My datasets"); removes it after.
 * `path` is empty when Fashion-MNIST is not installed.
 */
export function useFashionZip(name: string, classes: string, perClass: number, timeoutMs = 180_000): { readonly path: string } {
  let dir = "";
  const zip = { path: "" };
  beforeAll(async () => {
    if (!FASHION) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-e2e-zip-"));
    const file = path.join(dir, name);
    await promisify(execFile)("npm", ["run", "-s", "datasets:export", "--", "fashion-mnist", "--classes", classes, "--per-class", String(perClass), "--out", file], { cwd: ROOT });
    zip.path = file;
  }, timeoutMs);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return zip;
}

/**
 * Fills the upload form on the page it is on (My datasets) and uploads `zip`; waits for the new dataset's page and
 * returns its path.
 */
export async function uploadDataset(
  page: Page,
  upload: { name: string; zip: string; inputSize: string; assignment?: string; grayscale?: boolean; timeoutMs?: number },
): Promise<string> {
  await page.getByLabel("Name").fill(upload.name);
  if (upload.assignment) await page.getByLabel("For assignment").selectOption(upload.assignment);
  await page.getByLabel("Input size").selectOption(upload.inputSize);
  if (upload.grayscale) await page.getByLabel("grayscale").check();
  await page.getByLabel("Zip of class folders").setInputFiles(upload.zip);
  await page.getByRole("button", { name: "Upload and check" }).click();
  await page.waitForURL(/\/datasets\/[0-9a-f-]{36}$/, { timeout: upload.timeoutMs ?? 180_000 });
  return new URL(page.url()).pathname;
}
