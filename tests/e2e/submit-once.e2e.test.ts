import { describe, expect, it } from "vitest";
import { DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { hasChromium, NO_CHROMIUM, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";

if (!hasChromium) console.warn(`[tests] ${NO_CHROMIUM}`);

/** A spec that passes Assignment 6's checks and grades in seconds: flatten → dense softmax, one epoch. */
const TINY_SPEC = JSON.stringify({
  kind: "cnn",
  name: "double click",
  layers: [{ type: "flatten" }, { type: "dense", units: 5, activation: "softmax" }],
  training: { epochs: 1, batchSize: 64 },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.skipIf(!hasChromium)("submitting Assignment 6 twice from one showing of the form, in a real browser", () => {
  const site = useRunningSite({ browser: true });

  it("sends one key per showing, renews it after the server answers, and makes one submission of a doubled submit", async () => {
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6`);
    expect(await page.getByTestId("submissions-left").textContent()).toBe("5 of 5");
    await page.getByRole("tab", { name: "Paste or upload a spec" }).click();
    const keyField = page.locator('form[aria-label="Submit"] input[name="idempotencyKey"]');
    const firstKey = await keyField.inputValue();
    expect(firstKey).toMatch(UUID);

    // A refused spec: the server answers, so the next submit is a different one and gets a new key.
    await page.locator("#spec-text").fill("kind: telepathy");
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.getByTestId("submit-error").waitFor();
    await expect.poll(() => keyField.inputValue()).not.toBe(firstKey);
    const key = await keyField.inputValue();
    expect(key).toMatch(UUID);

    // The same form sent twice at once, as a double click faster than the button's disabling sends it.
    await page.locator("#spec-text").fill(TINY_SPEC);
    const answers = await page.evaluate(async () => {
      const form = document.querySelector<HTMLFormElement>('form[aria-label="Submit"]')!;
      const send = async () => {
        const data = new FormData(form);
        data.set("mode", "spec");
        const res = await fetch("/api/assignments/6/submissions", { method: "POST", body: data });
        return { status: res.status, id: ((await res.json()) as { id?: string }).id };
      };
      return Promise.all([send(), send()]);
    });
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(answers[0]!.id).toBeTruthy();
    expect(answers[1]!.id).toBe(answers[0]!.id);

    await page.reload();
    expect(await page.getByTestId("submissions-left").textContent()).toBe("4 of 5");
    const historyRows = page.getByTestId("history").locator("tbody tr");
    // The refused spec and one submission, not two.
    await expect.poll(() => historyRows.count()).toBe(2);
    expect(await historyRows.filter({ hasText: "double click" }).count()).toBe(1);
    // A new showing of the form, a new key.
    expect(await keyField.inputValue()).not.toBe(key);
  }, 300_000);
});
