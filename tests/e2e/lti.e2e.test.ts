import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { DEMO_INSTRUCTOR } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { startGraderWorkerIfQueued, type TestWorker } from "./helpers/grader-worker";
import { useRunningSite } from "./helpers/running-site";
import { ROLE, startPlatformHarness, type HarnessUser, type PlatformHarness } from "../lti/platform-harness";

if (!hasChromium) console.warn(`[tests] ${NO_CHROMIUM}`);

/** Passes Assignment 6's checks and grades in seconds (flatten → dense softmax, one epoch). */
const TINY_SPEC = JSON.stringify({
  kind: "cnn",
  name: "from the LMS",
  layers: [{ type: "flatten" }, { type: "dense", units: 5, activation: "softmax" }],
  training: { epochs: 1, batchSize: 64 },
});
const GRADED_WITHIN_MS = 240_000;

const teacher: HarnessUser = { sub: "lms-teacher-1", name: "Tilda Teacher", email: "tilda@uni.example", roles: [ROLE.instructor] };
const newStudent: HarnessUser = { sub: "lms-student-7", name: "Stella Student", email: "stella@uni.example", roles: [ROLE.learner] };
const neverLaunched: HarnessUser = { sub: "lms-student-9", name: "Nora Neverlaunched", email: "nora@uni.example", roles: [ROLE.learner] };

/** The tool's frame inside the harness LMS's page. */
async function toolFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe[name="tool"]');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error("no tool frame");
  return frame;
}

async function sessionOf(context: BrowserContext, siteUrl: string): Promise<unknown> {
  const res = await context.request.get(`${siteUrl}/api/auth/session`);
  return res.json();
}

describe.skipIf(!hasChromium)("Tensorgrade as an LTI 1.3 tool, launched from a test LMS in Chromium", () => {
  let lms: PlatformHarness;
  let worker: TestWorker | null = null;
  // A queue prefix of our own, so parallel test files sharing one Redis never take our jobs.
  const site = useRunningSite({ browser: true, env: { LTI_PASSBACK_INTERVAL_MS: "500", GRADER_QUEUE_PREFIX: `e2e-lti-${crypto.randomUUID().slice(0, 8)}` } });

  beforeAll(async () => {
    // With Redis the web only enqueues submissions; a grader worker grades them, as in production.
    worker = startGraderWorkerIfQueued(site.server);
    lms = await startPlatformHarness({ roster: [teacher, newStudent, neverLaunched] });
    const base = site.server.url;
    lms.setTool({ loginUrl: `${base}/api/lti/login`, launchUrl: `${base}/api/lti/launch`, jwksUrl: `${base}/api/lti/jwks` });
  }, 900_000);
  afterAll(async () => {
    await worker?.stop();
    await lms?.close();
  }, 120_000);

  it("registers the LMS from the instructor's LTI page", async () => {
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/lti`);
    expect(await page.getByTestId("login-url").textContent()).toBe(`${site.server.url}/api/lti/login`);
    const r = lms.registration;
    const form = page.getByRole("form", { name: "Register an LMS" });
    await form.getByLabel("Name").fill("Harness LMS");
    await form.getByLabel("Issuer").fill(r.issuer);
    await form.getByLabel("Client id").fill(r.clientId);
    await form.getByLabel("Deployment ids").fill(r.deploymentId);
    await form.getByLabel("Authorisation URL (OIDC auth endpoint)").fill(r.authLoginUrl);
    await form.getByLabel("Access token URL").fill(r.authTokenUrl);
    await form.getByLabel("Public keyset URL").fill(r.jwksUrl);
    await form.getByRole("button", { name: "Register LMS" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Registered Harness LMS.");
    expect(await page.getByTestId("platforms").textContent()).toContain(r.clientId);
    await page.close();
  }, 120_000);

  it("refuses a launch with a token for another audience in the LMS frame, with an error page and no session", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${lms.url}/launch/${lms.prepareLaunch({ user: newStudent, tamper: { aud: "another-tool" } })}`);
    const frame = await toolFrame(page);
    await frame.getByRole("alert").waitFor();
    expect(await frame.getByRole("alert").textContent()).toBe("The launch token was not issued for Tensorgrade's client id.");
    expect(await frame.locator("code").textContent()).toBe("wrongAudience");
    expect(await sessionOf(context, site.server.url)).toEqual({});
    await screenshot(page, "lti-refused-audience");
    await context.close();
  }, 120_000);

  it("refuses an unsigned token (alg: none) in the LMS frame, creating no account", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const intruder: HarnessUser = { sub: "lms-intruder", name: "Ivan Intruder", roles: [ROLE.instructor] };
    await page.goto(`${lms.url}/launch/${lms.prepareLaunch({ user: intruder, tamper: { algNone: true } })}`);
    const frame = await toolFrame(page);
    await frame.getByRole("alert").waitFor();
    expect(await frame.locator("code").textContent()).toBe("unsignedToken");
    expect(await frame.getByText("Nothing was signed in.").count()).toBe(1);
    expect(await sessionOf(context, site.server.url)).toEqual({});
    await context.close();
  }, 120_000);

  it("deep-links Assignment 6 from the instructor's LMS dialog: the LMS gets a resource link with a line item", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${lms.url}/launch/${lms.prepareLaunch({ user: teacher, kind: "deep-link" })}`);
    const frame = await toolFrame(page);
    await frame.getByRole("heading", { name: "Add Tensorgrade content to Computer Vision 101" }).waitFor();
    await screenshot(page, "lti-deep-link-picker");
    await frame.getByRole("radio", { name: /Assignment 6:/ }).check();
    await frame.getByRole("button", { name: "Add to the course" }).click();
    await frame.getByRole("heading", { name: "Content added" }).waitFor();
    expect(lms.deepLinkResponses).toHaveLength(1);
    const [item] = lms.deepLinkResponses[0].items as { type: string; title: string; custom: Record<string, string>; lineItem: { scoreMaximum: number } }[];
    expect(item).toMatchObject({ type: "ltiResourceLink", custom: { tg_target: "assignment:6" }, lineItem: { scoreMaximum: 100 } });
    expect(item.title).toMatch(/^Assignment 6:/);
    expect(lms.deepLinkResponses[0].data).toBe("harness-opaque-data");
    expect(lms.lineItems).toHaveLength(1);
    await context.close();
  }, 120_000);

  it("launches a student with no account from the LMS frame, signs them in in a new window, and sends their Assignment 6 grade back", async () => {
    const lineItem = lms.lineItems[0];
    const placed = lms.deepLinkResponses[0].items[0] as { custom: Record<string, string> };
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${lms.url}/launch/${lms.prepareLaunch({ user: newStudent, resourceLinkId: "rl-a6", custom: placed.custom, lineItemId: lineItem.id })}`);
    const frame = await toolFrame(page);
    await frame.getByText("You are launching as Stella Student.").waitFor();
    await screenshot(page, "lti-student-frame");
    const [popup] = await Promise.all([context.waitForEvent("page"), frame.getByRole("link", { name: "Open Tensorgrade in a new window" }).click()]);
    await popup.waitForURL(`${site.server.url}/courses/cv-fundamentals/assignments/6`, { timeout: 60_000 });
    expect(await sessionOf(context, site.server.url)).toMatchObject({ user: { name: "Stella Student" } });
    // The ticket is spent: the same link again is refused.
    const again = await context.newPage();
    await again.goto(await frame.getByRole("link", { name: "Open Tensorgrade in a new window" }).getAttribute("href").then((h) => h!));
    expect(await again.getByRole("alert").textContent()).toMatch(/already used/);

    await popup.getByRole("tab", { name: "Paste or upload a spec" }).click();
    await popup.locator("#spec-text").fill(TINY_SPEC);
    await popup.getByRole("button", { name: "Submit for grading" }).click();
    await popup.waitForURL(/\/submissions\//, { timeout: 60_000 });
    await expect.poll(() => lms.scores.filter((s) => s.userId === newStudent.sub).length, { timeout: GRADED_WITHIN_MS, interval: 1000 }).toBeGreaterThan(0);
    const score = lms.scores.find((s) => s.userId === newStudent.sub)!;
    expect(score).toMatchObject({ lineItemId: lineItem.id, scoreMaximum: 100, activityProgress: "Completed", gradingProgress: "FullyGraded" });

    // The instructor overrides the grade: the LMS gets the new final grade, with a later timestamp.
    const instructor = await site.browser.newPage();
    await signIn(instructor, site.server.url, DEMO_INSTRUCTOR);
    await instructor.goto(popup.url());
    const override = instructor.getByRole("form", { name: "Override score" });
    await override.getByLabel("Score (0–100)").fill("80");
    await override.getByLabel("Reason (the student sees it)").fill("Checked by hand");
    await override.getByRole("button", { name: "Override score" }).click();
    const mine = () => lms.scores.filter((s) => s.userId === newStudent.sub);
    await expect.poll(() => mine().at(-1)!.scoreGiven, { timeout: 60_000, interval: 500 }).toBeGreaterThan(score.scoreGiven);
    const latest = mine().at(-1)!;
    expect(new Date(latest.timestamp).getTime()).toBeGreaterThan(new Date(score.timestamp).getTime());
    expect(lms.scores.every((s) => s.userId === newStudent.sub && s.lineItemId === lineItem.id)).toBe(true);

    // The same number the gradebook shows as the student's final grade, and the sends are in the instructor's log.
    await instructor.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6/gradebook`);
    const row = instructor.getByTestId("gradebook").locator("tr", { hasText: "Stella Student" });
    expect(Number(await row.locator("td").last().textContent())).toBeCloseTo(latest.scoreGiven, 1);
    await instructor.goto(`${site.server.url}/courses/cv-fundamentals/lti`);
    const sent = instructor.getByTestId("score-sends").locator("tr", { hasText: "Stella Student" });
    expect(await sent.count()).toBe(mine().length);
    expect(await sent.first().textContent()).toContain(`${latest.scoreGiven.toFixed(1)} / 100sent`);
    await screenshot(instructor, "lti-instructor-page");
    expect(lms.tokenRequests.every((t) => t.ok)).toBe(true);
    await instructor.close();
    await context.close();
  }, GRADED_WITHIN_MS + 120_000);

  it("syncs the LMS roster, so the gradebook lists a student who never launched", async () => {
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/lti`);
    await page.getByTestId("contexts").getByRole("button", { name: "Sync roster" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Roster synced: 3 members, 1 new to Tensorgrade.");
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6/gradebook`);
    expect(await page.getByTestId("gradebook").textContent()).toContain("Nora Neverlaunched");
    expect(cspViolations(site.browser)).toEqual([]);
    await page.close();
  }, 120_000);
});
