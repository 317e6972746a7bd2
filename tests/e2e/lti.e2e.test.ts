import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Frame, type Page } from "playwright-core";
import { DEMO_INSTRUCTOR } from "@/db/seed/demo-accounts";
import { CHROMIUM_PATH, cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
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
const blockedStudent: HarnessUser = { sub: "lms-student-11", name: "Bo Blocked", roles: [ROLE.learner] };
const dynamicStudent: HarnessUser = { sub: "lms2-student-1", name: "Dana Dynamic", roles: [ROLE.learner] };

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
  // A queue prefix of our own, so parallel test files sharing one Redis never take our jobs. No
  // reconciliation: every score the LMS receives below comes from the job of its own score change.
  const site = useRunningSite({ browser: true, env: { LTI_RECONCILE_INTERVAL_MS: "0", GRADER_QUEUE_PREFIX: `e2e-lti-${crypto.randomUUID().slice(0, 8)}` } });

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

  it("launches a student with no account inside the LMS frame, where they submit, and sends their Assignment 6 grade (not the quiz-weighted final) back", async () => {
    const lineItem = lms.lineItems[0];
    const placed = lms.deepLinkResponses[0].items[0] as { custom: Record<string, string> };
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const continueUrls: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/lti/continue?t=") && !r.url().includes("probe=")) continueUrls.push(r.url());
    });
    await page.goto(`${lms.url}/launch/${lms.prepareLaunch({ user: newStudent, resourceLinkId: "rl-a6", custom: placed.custom, lineItemId: lineItem.id })}`);
    const frame = await toolFrame(page);
    // Chromium keeps the partitioned cookies in the frame: the assignment opens right there, signed in.
    await frame.waitForURL(`${site.server.url}/courses/cv-fundamentals/assignments/6`, { timeout: 60_000 });
    expect(await frame.evaluate(() => fetch("/api/auth/session").then((r) => r.json()))).toMatchObject({ user: { name: "Stella Student" } });
    await screenshot(page, "lti-student-in-frame");
    // The frame's session lives in the LMS site's cookie jar only: Tensorgrade opened on its own is not signed in by it.
    const top = await context.newPage();
    await top.goto(`${site.server.url}/api/auth/session`);
    expect(JSON.parse((await top.locator("body").textContent()) ?? "null")).toEqual({});
    // Nor may any other site frame it: the framing permission names the LMS only (and only in that frame).
    const headers = (await top.goto(`${site.server.url}/courses`))!.headers();
    expect(headers["x-frame-options"]).toBe("DENY");
    // The ticket is spent: the same sign-in link again is refused.
    expect(continueUrls).toHaveLength(1);
    await top.goto(continueUrls[0]);
    expect(await top.getByRole("alert").textContent()).toMatch(/already used/);

    await frame.getByRole("tab", { name: "Paste or upload a spec" }).click();
    await frame.locator("#spec-text").fill(TINY_SPEC);
    await frame.getByRole("button", { name: "Submit for grading" }).click();
    await frame.waitForURL(/\/submissions\//, { timeout: 60_000 });
    await expect.poll(() => lms.scores.filter((s) => s.userId === newStudent.sub).length, { timeout: GRADED_WITHIN_MS, interval: 1000 }).toBeGreaterThan(0);
    const score = lms.scores.find((s) => s.userId === newStudent.sub)!;
    expect(score).toMatchObject({ lineItemId: lineItem.id, scoreMaximum: 100, activityProgress: "Completed", gradingProgress: "FullyGraded" });

    // The instructor overrides the grade: the LMS gets the new assignment grade, with a later timestamp.
    const instructor = await site.browser.newPage();
    await signIn(instructor, site.server.url, DEMO_INSTRUCTOR);
    await instructor.goto(frame.url());
    const override = instructor.getByRole("form", { name: "Override score" });
    await override.getByLabel("Score (0–100)").fill("80");
    await override.getByLabel("Reason (the student sees it)").fill("Checked by hand");
    await override.getByRole("button", { name: "Override score" }).click();
    const mine = () => lms.scores.filter((s) => s.userId === newStudent.sub);
    await expect.poll(() => mine().at(-1)!.scoreGiven, { timeout: 60_000, interval: 500 }).toBeGreaterThan(score.scoreGiven);
    const latest = mine().at(-1)!;
    expect(new Date(latest.timestamp).getTime()).toBeGreaterThan(new Date(score.timestamp).getTime());
    expect(lms.scores.every((s) => s.userId === newStudent.sub && s.lineItemId === lineItem.id)).toBe(true);

    // The same number the gradebook shows as the student's assignment grade — not the final grade, which weighs in the quiz.
    await instructor.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6/gradebook`);
    const headersRow = await instructor.getByTestId("gradebook").locator("th").allTextContents();
    const row = instructor.getByTestId("gradebook").locator("tr", { hasText: "Stella Student" });
    const cellOf = async (header: string) => Number(await row.locator("td").nth(headersRow.indexOf(header)).textContent());
    expect(await cellOf("Assignment grade")).toBeCloseTo(latest.scoreGiven, 1);
    expect(Math.abs((await cellOf("Final")) - latest.scoreGiven)).toBeGreaterThan(1);
    await instructor.goto(`${site.server.url}/courses/cv-fundamentals/lti`);
    const sent = instructor.getByTestId("score-sends").locator("tr", { hasText: "Stella Student" });
    expect(await sent.count()).toBe(mine().length);
    expect(await sent.first().textContent()).toContain(`${latest.scoreGiven.toFixed(1)} / 100sent`);
    await screenshot(instructor, "lti-instructor-page");
    expect(lms.tokenRequests.every((t) => t.ok)).toBe(true);
    await instructor.close();
    await context.close();
  }, GRADED_WITHIN_MS + 120_000);

  it("falls back to a new window when the browser blocks Tensorgrade's cookies inside the LMS page", async () => {
    // A real Chromium setting: cookies of the tool's site blocked where the LMS's site embeds it (chrome://settings/cookies).
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "tg-lti-blocked-"));
    fs.mkdirSync(path.join(profile, "Default"));
    const pair = `${new URL(site.server.url).origin},${new URL(lms.url).origin}`;
    fs.writeFileSync(path.join(profile, "Default", "Preferences"), JSON.stringify({ profile: { content_settings: { exceptions: { cookies: { [pair]: { setting: 2 } } } } } }));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${lms.url}/launch/${lms.prepareLaunch({ user: blockedStudent, resourceLinkId: "rl-course" })}`);
      const frame = await toolFrame(page);
      await frame.getByText(/third-party cookies are blocked/).waitFor({ timeout: 60_000 });
      // Nothing was signed in inside the frame, and the launch is not refused: it moves to a window.
      expect(await frame.getByRole("alert").count()).toBe(0);
      await screenshot(page, "lti-cookies-blocked");
      const [popup] = await Promise.all([context.waitForEvent("page"), frame.getByRole("link", { name: "Open Tensorgrade in a new window" }).click()]);
      await popup.waitForURL(`${site.server.url}/courses/cv-fundamentals`, { timeout: 60_000 });
      await popup.goto(`${site.server.url}/api/auth/session`);
      expect(JSON.parse((await popup.locator("body").textContent()) ?? "null")).toMatchObject({ user: { name: "Bo Blocked" } });
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }, 180_000);

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

  it("registers a second LMS by LTI Dynamic Registration from the administrator's browser, and then launches from it", async () => {
    const lms2 = await startPlatformHarness();
    const base = site.server.url;
    lms2.setTool({ loginUrl: `${base}/api/lti/login`, launchUrl: `${base}/api/lti/launch`, jwksUrl: `${base}/api/lti/jwks` });
    try {
      const teacherPage = await site.browser.newPage();
      await signIn(teacherPage, base, DEMO_INSTRUCTOR);
      await teacherPage.goto(`${base}/courses/cv-fundamentals/lti`);
      await teacherPage.getByRole("button", { name: "Make a dynamic registration URL" }).click();
      const registrationUrl = (await teacherPage.getByTestId("dynamic-registration-url").textContent())!;
      expect(registrationUrl).toMatch(new RegExp(`^${base}/api/lti/register\\?t=`));

      // The LMS administrator pastes it into the LMS, which opens it with its configuration and a registration token.
      const admin = await site.browser.newContext();
      const lmsPage = await admin.newPage();
      await lmsPage.goto(`${lms2.url}/admin/register-tool?url=${encodeURIComponent(registrationUrl)}`);
      // The tool's page in the LMS's frame registers, then asks the LMS to close it (the harness removes the frame).
      await expect.poll(() => lmsPage.getByRole("status").textContent(), { timeout: 60_000 }).toBe(`The tool closed its registration from ${new URL(base).origin}`);
      expect(lms2.registrations).toHaveLength(1);
      expect(lms2.registrations[0]).toMatchObject({ initiate_login_uri: `${base}/api/lti/login`, redirect_uris: [`${base}/api/lti/launch`], jwks_uri: `${base}/api/lti/jwks` });
      await teacherPage.goto(`${base}/courses/cv-fundamentals/lti`);
      expect(await teacherPage.getByTestId("platforms").textContent()).toContain(lms2.clientId);
      // The URL was single use.
      const again = await admin.newPage();
      await again.goto(`${lms2.url}/admin/register-tool?url=${encodeURIComponent(registrationUrl)}`);
      const refused = await (await again.waitForSelector('iframe[name="registration"]')).contentFrame();
      await refused!.getByRole("alert").waitFor();
      expect(await refused!.getByRole("alert").textContent()).toMatch(/expired or was already used/);
      await admin.close();

      // A student launches from the newly registered LMS: the course opens in its frame.
      const context = await site.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${lms2.url}/launch/${lms2.prepareLaunch({ user: dynamicStudent, resourceLinkId: "rl-dyn" })}`);
      const toolPage = await toolFrame(page);
      await toolPage.waitForURL(`${base}/courses/cv-fundamentals`, { timeout: 60_000 });
      expect(await toolPage.evaluate(() => fetch("/api/auth/session").then((r) => r.json()))).toMatchObject({ user: { name: "Dana Dynamic" } });
      await context.close();
      await teacherPage.close();
    } finally {
      await lms2.close();
    }
  }, 180_000);
});
