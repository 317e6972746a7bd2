import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { MAX_JSON_DEPTH } from "@/grader/spec/topology-limits";
import { deeplyNestedJson, DUPLICATE_NAME_TOPOLOGY } from "../grader/fixtures/hostile-topologies";
import { LIVE_ANALYSIS_TIMED_OUT } from "@/app/courses/[slug]/assignments/[number]/builder/live-analyser";
import { cspViolations, hasChromium, screenshot, signIn } from "./helpers/browser";
import { postForm } from "./helpers/http-session";
import { useRunningSite } from "./helpers/running-site";

/** 12.6M parameters, over the lesson's budget: analysed in full, then refused (no quota used). */
const OVER_BUDGET_SPEC = {
  kind: "cnn",
  layers: [{ type: "flatten" }, { type: "dense", units: 4096, activation: "relu" }, { type: "dense", units: 5, activation: "softmax" }],
  training: { epochs: 1 },
};

describe("hostile specs and topologies against a running production server", () => {
  const site = useRunningSite({ signInAs: DEMO_STUDENT });

  /** POSTs a submission form as the demo student, from the site's own origin, and times the answer. */
  const submit = async (fields: Record<string, string | File>) => {
    const started = performance.now();
    const res = await postForm(site.server.url, "/api/assignments/6/submissions", site.cookie, fields);
    const body = (await res.json()) as { error?: string; issues?: { path: string; message: string }[] };
    return { status: res.status, body, ms: performance.now() - started };
  };

  /** The site still serves pages: the assignment page renders for the student. */
  const stillServing = async () => {
    const res = await fetch(`${site.server.url}/courses/cv-fundamentals/assignments/6`, { headers: { cookie: site.cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Assignment 6");
    expect(site.server.logs()).not.toMatch(/FATAL ERROR|Fatal JavaScript/);
  };

  // Refused by the importer (repeated layer names) or cut off by the analysis limits: a 422 with a message either way.
  const REFUSED = /^(Invalid spec: |The spec could not be analysed)/;

  it("answers the duplicate-name Keras topology of issue 10, uploaded with a training block, with a 422 and keeps serving", async () => {
    const kerasFile = new File([JSON.stringify(DUPLICATE_NAME_TOPOLOGY)], "model.json", { type: "application/json" });
    const res = await submit({ mode: "keras", kerasFile, training: "optimizer: adam\nepochs: 1\nbatchSize: 32\n" });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(REFUSED);
    expect(res.ms).toBeLessThan(15_000);
    await stillServing();
  });

  it("answers the same topology pasted as a keras spec with a 422 and keeps serving", async () => {
    const spec = JSON.stringify({ kind: "keras", model: DUPLICATE_NAME_TOPOLOGY, training: { epochs: 1 } });
    const res = await submit({ mode: "spec", spec });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(REFUSED);
    await stillServing();
  });

  it("refuses a spec nested far deeper than any model before parsing it, in well under a second", async () => {
    // 20,000 levels in 40 KB: every recursive parser of the stack would overflow on it.
    const res = await submit({ mode: "spec", spec: deeplyNestedJson(20_000) });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe(`The spec nests brackets more than ${MAX_JSON_DEPTH} levels deep; real models nest a few dozen at most.`);
    expect(res.body.issues).toEqual([{ path: "spec", message: res.body.error }]);
    expect(res.ms).toBeLessThan(2_000);
    await stillServing();
  });

  it("refuses a training block nested far deeper than any spec before the web process parses it", async () => {
    const kerasFile = new File(["{}"], "model.json", { type: "application/json" });
    const res = await submit({ mode: "keras", kerasFile, training: "[".repeat(30_000) });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: "training", message: `The training block nests brackets more than ${MAX_JSON_DEPTH} levels deep; real models nest a few dozen at most.` }]);
  });

  it("still analyses ordinary specs after all that, in milliseconds once its analysis process is warm", async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await submit({ mode: "spec", spec: JSON.stringify(OVER_BUDGET_SPEC) });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatch(/^Over budget: /);
      times.push(Math.round(res.ms));
    }
    console.log(`[e2e] over-budget spec refused in ${times.join(", ")} ms (request round trips, sign-in and database included)`);
    await stillServing();
  });
});

describe.skipIf(!hasChromium)("the builder in a real browser, when its analysis never returns", () => {
  const site = useRunningSite({ browser: true });

  it("analyses edits in a Web Worker: a stuck analysis leaves the tab responsive and says it could not be analysed in time", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6`);
    // The builder's worker works under the site's CSP: an edit comes back analysed.
    await page.getByLabel("Layer type to add").selectOption({ label: "Flatten" });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => page.getByTestId("layer-table").textContent()).toContain("flatten");

    // Now every worker the page starts runs an endless loop instead of the analysis — what a parser bug would do.
    let stuckWorkers = 0;
    await context.route("**/_next/static/**/*.js", async (route) => {
      const res = await route.fetch();
      const body = await res.text();
      if (!body.includes("The live analysis failed in this page")) return route.fulfill({ response: res, body });
      stuckWorkers++;
      return route.fulfill({ response: res, body: "for (;;) {}" });
    });
    await page.reload();
    await page.getByLabel("Layer type to add").selectOption({ label: "Dense" });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    // The main thread still answers at once while the worker spins…
    const started = Date.now();
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    expect(Date.now() - started).toBeLessThan(1_000);
    // …and after the time limit the builder says what happened.
    await expect.poll(() => page.getByTestId("spec-issues").textContent(), { timeout: 10_000 }).toContain(LIVE_ANALYSIS_TIMED_OUT);
    expect(stuckWorkers).toBeGreaterThan(0);
    await screenshot(page, "builder-analysis-timed-out");
    expect(cspViolations(site.browser)).toEqual([]);
    await context.close();
  });
});

describe("background work that throws in a running production server", () => {
  const preload = pathToFileURL(path.join(import.meta.dirname, "fixtures", "fail-in-background.mjs")).href;
  const site = useRunningSite({ env: { NODE_OPTIONS: `--import=${preload}` } });

  it("logs an uncaught exception and an unhandled rejection, and keeps serving", async () => {
    const pid = Number(fs.readFileSync(path.join(site.server.dataDir, "server.pid"), "utf8"));
    process.kill(pid, "SIGUSR2");
    await expect.poll(() => site.server.logs(), { timeout: 10_000 }).toContain("e2e: a rejection nobody handled");
    await expect.poll(() => site.server.logs(), { timeout: 10_000 }).toContain("e2e: an exception thrown by background work");
    const res = await fetch(`${site.server.url}/signin`);
    expect(res.status).toBe(200);
    expect(() => process.kill(pid, 0)).not.toThrow(); // the same process, not a restarted one
  });
});
