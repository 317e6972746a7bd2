import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, screenshot, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";

/**
 * Issue 14 §5 and §6 in Chromium: the builder starts from presets (no error on arrival), Submit is off while the spec
 * is invalid and says why beside itself, a keyboard-only walk from preset to submission, and the Keras import: a
 * pasted to_json() is recognised in the spec box and accepted in the Keras tab, and its problems come back all at
 * once, each once, naming the layer and field.
 */

const ASSIGNMENT = "/courses/cv-fundamentals/assignments/6";

/** The lesson's Keras 2 Sequential (32×32×3 in, 5 classes out): fits Assignment 6 as it is. */
const kerasTopology = () =>
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../grader/fixtures/keras2-sequential.json"), "utf8")) as {
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };

/** What has the keyboard focus: its tag, id, accessible label and text. */
function focused(page: Page) {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return { tag: a?.tagName ?? "", id: a?.id ?? "", label: a?.getAttribute("aria-label") ?? "", text: (a?.textContent ?? "").trim() };
  });
}

/** Presses Tab (Shift+Tab when `back`) until the focused element matches; fails after `max` presses. */
async function tabTo(page: Page, matches: (f: Awaited<ReturnType<typeof focused>>) => boolean, opts: { back?: boolean; max?: number } = {}) {
  for (let i = 0; i < (opts.max ?? 200); i++) {
    await page.keyboard.press(opts.back ? "Shift+Tab" : "Tab");
    const f = await focused(page);
    if (matches(f)) return f;
  }
  throw new Error(`Tab never reached the element; focus is on ${JSON.stringify(await focused(page))}`);
}

const submitButton = (page: Page) => page.getByRole("button", { name: "Submit for grading" });

/** A page in a context of its own (AxeBuilder needs one from browser.newContext()). */
async function contextPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

/** Serious and critical axe-core findings inside the submit form, in words. */
async function formViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).include("form[aria-label='Submit']").analyze();
  return axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

describe.skipIf(!hasChromium)("the Assignment 6 builder in a real browser", () => {
  // A queue of its own: with Redis the web only enqueues, and no worker takes this file's submission.
  const site = useRunningSite({ browser: true, env: { GRADER_QUEUE_PREFIX: `e2e-builder-${crypto.randomUUID().slice(0, 8)}` } });

  it("starts from the lesson's CNN with no error, offers the transfer recipe and an empty CNN, and holds Submit (saying why) while the spec is invalid", async () => {
    const page = await contextPage(site.browser);
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(site.server.url + ASSIGNMENT);
    const presets = page.getByTestId("presets");
    await presets.waitFor();
    expect(await presets.getByRole("button", { pressed: true }).textContent()).toBe("Simple CNN from the lesson");
    // The lesson's eight layers, analysed and within budget, before the student has touched anything.
    await page.getByTestId("layer-row-7").waitFor();
    await page.getByTestId("budget-ok").waitFor();
    expect(await page.getByTestId("total-params").textContent()).toBe("122,245");
    expect(await page.getByTestId("spec-issues").count()).toBe(0);
    expect(await page.locator("body").textContent()).not.toMatch(/Array must contain|must contain at least/);
    expect(await submitButton(page).getAttribute("aria-disabled")).toBeNull();
    await screenshot(page, "builder-preset-cnn");

    await presets.getByRole("button", { name: "Transfer from shapes-base" }).click();
    await page.getByTestId("transfer-builder").waitFor();
    expect(await page.getByRole("tab", { selected: true }).textContent()).toBe("Build a transfer recipe");
    await page.getByTestId("head-editor").getByTestId("layer-row-2").waitFor();
    await page.getByTestId("budget-ok").waitFor();

    await presets.getByRole("button", { name: "An empty CNN" }).click();
    await page.getByTestId("cnn-builder").waitFor();
    await expect.poll(() => submitButton(page).getAttribute("aria-disabled")).toBe("true");
    const reason = page.getByTestId("submit-blocked");
    expect(await reason.textContent()).toMatch(/^Submit is off until the spec is valid: fix the 1 problem listed under "Layer table and budget"\.$/);
    // Tied to the button for assistive technology, and the button stays focusable.
    expect(await submitButton(page).getAttribute("aria-describedby")).toBe(await reason.getAttribute("id"));
    expect(await submitButton(page).evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(false);
    await submitButton(page).focus();
    expect((await focused(page)).text).toBe("Submit for grading");
    // Enter on the held button sends nothing.
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().includes("/submissions")) posts.push(r.url());
    });
    await page.keyboard.press("Enter");
    await page.waitForTimeout(300);
    expect(posts).toEqual([]);
    await screenshot(page, "builder-empty-held");
    expect(await formViolations(page)).toEqual([]);
    expect(cspViolations(site.browser)).toEqual([]);
    await page.context().close();
  });

  it("walks from a preset to a submission with the keyboard alone: pick, edit, see the check, submit", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(site.server.url + ASSIGNMENT);
    await page.getByTestId("presets").waitFor();
    await page.locator("body").focus();

    // Pick the empty CNN (Space), then back to the lesson's CNN (Enter).
    await tabTo(page, (f) => f.tag === "BUTTON" && f.text === "An empty CNN");
    await page.keyboard.press("Space");
    await page.getByText("No layers yet").waitFor();
    await tabTo(page, (f) => f.tag === "BUTTON" && f.text === "Simple CNN from the lesson", { back: true });
    await page.keyboard.press("Enter");
    await page.getByTestId("layer-row-7").waitFor();

    // Edit the last layer's units to a wrong class count: the check says so on that layer and Submit is held.
    await tabTo(page, (f) => f.label === "units of layer 8");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("4");
    await expect.poll(() => page.getByTestId("layer-error-7").textContent().catch(() => "")).toContain("the assignment has 5 classes, this layer gives 4");
    // The layer's own error comes from the check in the page; Submit is held once the whole check has run, a moment later.
    await expect.poll(() => submitButton(page).getAttribute("aria-disabled")).toBe("true");
    await expect.poll(() => page.getByTestId("submit-blocked").textContent().catch(() => "")).toMatch(/fits this assignment/);
    await page.keyboard.press("Backspace");
    await page.keyboard.type("5");
    await page.getByTestId("budget-ok").waitFor();

    // One epoch, then Tab to Submit and press Enter.
    await tabTo(page, (f) => f.id === "field-training.epochs");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("1");
    await page.getByTestId("budget-ok").waitFor();
    await tabTo(page, (f) => f.tag === "BUTTON" && f.text === "Submit for grading");
    await screenshot(page, "builder-keyboard-submit");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/, { timeout: 30_000 });

    // Back on the assignment, that submission is a preset of its own.
    await page.goto(site.server.url + ASSIGNMENT);
    await page.getByTestId("presets").getByRole("button", { name: "Your last submission (Simple CNN from the lesson)" }).waitFor();
    expect(cspViolations(site.browser)).toEqual([]);
    await page.close();
  });

  it("recognises a to_json() pasted in the spec box, takes it pasted in the Keras tab, and lists every problem once with its layer and field", async () => {
    const page = await contextPage(site.browser);
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(site.server.url + ASSIGNMENT);
    const keras = kerasTopology();
    const layers = keras.config.layers;
    layers.at(-1)!.config.units = 10;
    layers.find((l) => l.config.name === "conv2d")!.config.padding = "causal";
    layers.find((l) => l.config.name === "conv2d_1")!.config.kernel_size = "3x3";

    await page.getByRole("tab", { name: "Paste or upload a spec" }).click();
    await page.locator("#spec-text").fill(JSON.stringify(keras));
    const detected = page.getByTestId("keras-detected");
    await detected.waitFor();
    expect(await detected.textContent()).toMatch(/This is a Keras model topology/);
    await detected.getByRole("button", { name: "Open it in the Keras tab" }).click();
    expect(await page.getByRole("tab", { selected: true }).textContent()).toBe("Keras model.to_json()");
    expect(JSON.parse(await page.locator("#keras-text").inputValue())).toEqual(keras);

    await page.locator("#keras-training").fill("epochs: 1\noptimizer: adamw\n");
    const list = page.getByTestId("keras-errors");
    const expected = [
      'training.optimizermust be "sgd", "momentum", "adam" or "rmsprop"; got "adamw"',
      'model.config.layers.1.config.paddinglayer `conv2d` (Conv2D), field `padding`: must be "valid" or "same"; got "causal"',
      'model.config.layers.3.config.kernel_sizelayer `conv2d_1` (Conv2D), field `kernel_size`: must be a positive whole number or a pair of them like [3, 3]; got "3x3"',
      "model.config.layers.8.config.unitslayer `dense_1` (Dense), field `units`: the assignment has 5 classes, this layer gives 10 (the model must output one probability per class: [5])",
    ];
    // Checked in the page as the student types, with the grader's own check…
    await expect.poll(async () => (await list.locator("li").allTextContents()).sort(), { timeout: 10_000 }).toEqual([...expected].sort());
    // …and the server's answer on submit is the same list, each problem once.
    await submitButton(page).click();
    await page.getByTestId("submit-error").waitFor({ timeout: 30_000 });
    expect((await list.locator("li").allTextContents()).sort()).toEqual([...expected].sort());
    // The banner says what happened in one line and does not repeat the list.
    const banner = await page.getByTestId("submit-error").textContent();
    expect(banner).toBe("The server refused this submission: 4 problems to fix, listed under the topology.");
    const text = (await page.locator("form[aria-label='Submit']").textContent()) ?? "";
    expect(text).not.toMatch(/Invalid enum value|Expected '|Conv2D, SeparableConv2D, DepthwiseConv2D/);
    // The allowed layers are a short list behind a disclosure, not a line in each message.
    const allowed = page.getByTestId("keras-allowed");
    expect(await allowed.locator("summary").textContent()).toBe("Allowed Keras layers (19)");
    expect(await allowed.getAttribute("open")).toBeNull();
    await allowed.locator("summary").click();
    expect(await allowed.locator("li").count()).toBe(19);
    await screenshot(page, "builder-keras-errors");
    expect(await formViolations(page)).toEqual([]);

    // Fixed, the same pasted topology is accepted.
    layers.at(-1)!.config.units = 5;
    layers.find((l) => l.config.name === "conv2d")!.config.padding = "valid";
    layers.find((l) => l.config.name === "conv2d_1")!.config.kernel_size = [3, 3];
    await page.locator("#keras-text").fill(JSON.stringify(keras));
    await page.locator("#keras-training").fill("epochs: 1\n");
    await page.getByTestId("keras-errors-none").waitFor();
    await submitButton(page).click();
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    expect(cspViolations(site.browser)).toEqual([]);
    await page.context().close();
  });
});
