import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";
import { sessionCookie } from "./helpers/http-session";

/** One epoch of the syllabus CNN on the assignment's data, then the held-out set: a few minutes at most on two cores. */
const GRADING_TIMEOUT_MS = 420_000;

/** Adds a layer through the builder's palette and returns its row. */
async function addLayer(page: Page, label: string, index: number, fields: Record<string, string> = {}) {
  await page.getByLabel("Layer type to add").selectOption({ label });
  await page.getByRole("button", { name: "Add", exact: true }).click();
  const row = page.getByTestId(`layer-row-${index}`);
  await row.waitFor();
  for (const [field, value] of Object.entries(fields)) {
    const control = page.getByLabel(`${field} of layer ${index + 1}`, { exact: true });
    if (field === "activation" || field === "padding") await control.selectOption(value);
    else await control.fill(value);
  }
  return row;
}

describe.skipIf(!hasChromium)("Assignment 6 in a real browser: build, submit, watch, read the report; instructor tools", () => {
  // A queue prefix of our own, so parallel test files sharing one Redis never take our jobs; with Redis the web only
  // enqueues, and a grader worker process grades, as in production.
  const site = useRunningSite({ browser: true, graderWorker: true, env: { GRADER_QUEUE_PREFIX: `e2e-a6-${crypto.randomUUID().slice(0, 8)}` } });
  let submissionId = "";

  it("lets a student build the syllabus CNN, submit it with a report, watch it grade and read the report", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6`);
    expect(await page.getByTestId("classes").textContent()).toBe("circle, square, triangle, cross, star");
    expect(await page.getByTestId("submissions-left").textContent()).toMatch(/^5 of 5$/);

    // Built by hand from an empty CNN (the builder opens on the lesson's CNN preset):
    // Conv 32 → pool → Conv 64 → pool → Conv 64 → flatten → Dense 64 → Dense 5 softmax, as in the syllabus.
    await page.getByTestId("presets").getByRole("button", { name: "An empty CNN" }).click();
    await page.getByText("No layers yet").waitFor();
    await addLayer(page, "Conv2D", 0, { filters: "32", kernel: "3", activation: "relu" });
    await addLayer(page, "MaxPooling2D", 1, { pool: "2" });
    await addLayer(page, "Conv2D", 2, { filters: "64" });
    // The live table already knows the shapes so far; a softmax head is still missing.
    await expect.poll(() => page.getByTestId("budget-issues").textContent()).toMatch(/last layer must apply softmax/);
    await addLayer(page, "MaxPooling2D", 3);
    await addLayer(page, "Conv2D", 4, { filters: "64" });
    await addLayer(page, "Flatten", 5);
    await addLayer(page, "Dense", 6, { units: "64", activation: "relu" });
    // A typo shows under its row at once, with the grader's message.
    await page.getByLabel("units of layer 7", { exact: true }).fill("6x4");
    await page.getByTestId("layer-error-6").waitFor();
    await page.getByLabel("units of layer 7", { exact: true }).fill("64");
    await addLayer(page, "Dense", 7, { units: "5", activation: "softmax" });
    await page.locator("#field-training\\.epochs").fill("1");
    await page.getByTestId("budget-ok").waitFor();
    expect(await page.getByTestId("total-params").textContent()).toBe("122,245");
    await page.locator("#report-file").setInputFiles({ name: "report.md", mimeType: "text/markdown", buffer: Buffer.from("# Report\n\nData, training, evaluation.\n") });
    await screenshot(page, "assignment-builder");

    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    submissionId = page.url().split("/").pop()!;

    // Live progress while it grades: the epoch/batch line and the bar move as SSE events arrive.
    await page.getByTestId("live-status").waitFor({ timeout: 10_000 });
    expect(await page.getByRole("progressbar", { name: "Grading progress" }).count()).toBe(1);
    await expect
      .poll(() => page.getByTestId("progress-text").textContent({ timeout: 1_000 }).catch(() => ""), { timeout: GRADING_TIMEOUT_MS, interval: 250 })
      .toMatch(/Epoch 1 of 1, batch \d+ of \d+/);
    expect(Number(await page.getByRole("progressbar", { name: "Grading progress" }).getAttribute("aria-valuenow"))).toBeGreaterThan(0);
    await screenshot(page, "assignment-progress");

    const heatmap = page.locator('[data-chart="confusion-matrix"]');
    try {
      await heatmap.first().waitFor({ timeout: GRADING_TIMEOUT_MS });
    } catch (e) {
      throw new Error(`no report after ${GRADING_TIMEOUT_MS / 1000} s; status: ${await page.getByTestId("submission-status").textContent()}\n${site.server.logs().slice(-3000)}\n${site.worker?.logs().slice(-3000) ?? ""}`, { cause: e });
    }
    expect(await page.getByTestId("submission-status").textContent()).toBe("succeeded");
    // Students see the public split only before the deadline.
    expect(await page.getByTestId("score-public").count()).toBe(1);
    expect(await page.getByTestId("score-private").count()).toBe(0);
    expect(await heatmap.count()).toBe(1);
    expect(await page.locator('[data-chart="roc"]').count()).toBe(1);
    expect(await page.locator('[data-chart="training-curves"]').count()).toBe(1);
    expect(await heatmap.locator("text", { hasText: "Predicted class" }).count()).toBe(1);
    expect(await page.getByTestId("model-summary").textContent()).toMatch(/122,245 parameters/);
    await screenshot(page, "assignment-report");
    await page.close();
  }, GRADING_TIMEOUT_MS + 120_000);

  it("hides the submission, its stream and its written report from another student (404), and instructor pages from students (403)", async () => {
    expect(submissionId).not.toBe("");
    const page = await site.browser.newPage();
    const email = `classmate-${crypto.randomUUID().slice(0, 8)}@tensorgrade.dev`;
    await page.goto(`${site.server.url}/signup`);
    await page.getByLabel("Name").fill("Casey Classmate");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password (10+ characters)").fill("classmate-password");
    await page.getByRole("button", { name: "Create account" }).click();
    // A new account is in no course: /courses asks for the code, which the classmate got from the instructor.
    await page.waitForURL((u) => u.pathname === "/courses", { timeout: 30_000 });
    const dashboard = await (await fetch(`${site.server.url}/instructor`, { headers: { cookie: await sessionCookie(site.server.url, DEMO_INSTRUCTOR) } })).text();
    const code = /data-testid="join-code"[^>]*>([A-Z0-9]{6,12})</.exec(dashboard)?.[1];
    expect(code).toBeTruthy();
    await page.getByLabel("Join code").fill(code!);
    await page.getByRole("button", { name: "Join" }).click();
    await page.waitForURL((u) => u.pathname === "/courses/cv-fundamentals", { timeout: 30_000 });
    await page.close();

    const classmate = await sessionCookie(site.server.url, { email, password: "classmate-password" });
    for (const p of [`/submissions/${submissionId}`, `/api/submissions/${submissionId}/events`, `/api/submissions/${submissionId}/written-report`]) {
      const res = await fetch(site.server.url + p, { headers: { cookie: classmate } });
      expect(res.status, p).toBe(404);
      await res.body?.cancel();
    }
    const owner = await sessionCookie(site.server.url, DEMO_STUDENT);
    // The (anonymous) leaderboard as the classmate gets it: the demo student's row, but not their id,
    // anywhere in the HTML or the RSC payload inlined in it.
    const ownerId = ((await (await fetch(`${site.server.url}/api/auth/session`, { headers: { cookie: owner } })).json()) as { userId: string }).userId;
    expect(ownerId).toMatch(/^[0-9a-f-]{36}$/);
    const board = await (await fetch(`${site.server.url}/courses/cv-fundamentals/assignments/6/leaderboard`, { headers: { cookie: classmate } })).text();
    expect(board).toMatch(/Student [0-9a-f]{6}/);
    expect(board).not.toContain(DEMO_STUDENT.name);
    expect(board).not.toContain(ownerId);
    const report = await fetch(`${site.server.url}/api/submissions/${submissionId}/written-report`, { headers: { cookie: owner } });
    expect(report.status).toBe(200);
    expect(await report.text()).toContain("Data, training, evaluation.");
    for (const p of ["/courses/cv-fundamentals/assignments/6/submissions", "/courses/cv-fundamentals/assignments/6/gradebook", "/courses/cv-fundamentals/assignments/6/gradebook/gradebook.csv", "/courses/cv-fundamentals/assignments/6/datasets"]) {
      const res = await fetch(site.server.url + p, { headers: { cookie: owner } });
      expect(res.status, p).toBe(403);
      await res.body?.cancel();
    }
    const upload = new FormData();
    upload.set("role", "train");
    upload.set("format", "image-folder");
    const studentUpload = await fetch(`${site.server.url}/courses/cv-fundamentals/assignments/6/datasets/upload`, { method: "POST", headers: { cookie: owner, origin: site.server.url }, body: upload });
    expect(studentUpload.status).toBe(403);
    // Signed out, the submission route asks for a sign-in rather than accepting anything.
    const anonymous = await fetch(`${site.server.url}/api/assignments/6/submissions`, { method: "POST", body: upload, headers: { origin: site.server.url } });
    expect(anonymous.status).toBe(401);
  });

  it("shows the instructor the submission on the leaderboard, regrades it with the old report kept, and exports the gradebook", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6/leaderboard`);
    const row = page.getByTestId("leaderboard").getByRole("row", { name: new RegExp(DEMO_STUDENT.name) });
    await row.waitFor();
    expect(await row.getByRole("cell").count()).toBe(7); // rank, name, public, private, private rank, change, submitted
    expect(await page.locator('[data-chart="score-histogram"]').count()).toBe(1);
    await screenshot(page, "assignment-leaderboard");

    await page.goto(`${site.server.url}/submissions/${submissionId}`);
    const [regrade] = await Promise.all([
      page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
      page.getByRole("button", { name: "Regrade" }).click(),
    ]);
    // The same action replayed with a student's session is refused.
    const owner = await sessionCookie(site.server.url, DEMO_STUDENT);
    const replay = await fetch(regrade.url(), { method: "POST", headers: { ...regrade.headers(), cookie: owner }, body: regrade.postData() });
    expect(await replay.text()).toContain("Only instructors can do this.");

    await page.getByTestId("runs").waitFor({ timeout: GRADING_TIMEOUT_MS });
    await page.getByTestId("rank-change").waitFor({ timeout: GRADING_TIMEOUT_MS });
    expect(await page.getByTestId("runs").getByRole("row").count()).toBe(3); // header + runs 1 and 2
    expect(await page.getByTestId("rank-change").textContent()).toMatch(/rank with run 1: 1; with run 2: 1 \(unchanged\)/);
    await screenshot(page, "assignment-regraded");

    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6/gradebook`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const csv = await new Promise<string>((resolve, reject) => {
      download.createReadStream().then((s) => {
        let text = "";
        s.on("data", (d) => (text += d));
        s.on("end", () => resolve(text));
        s.on("error", reject);
      }, reject);
    });
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("name,email,quiz,assignment,assignment_source,report,final");
    expect(lines.some((l) => l.startsWith(`${DEMO_STUDENT.name},${DEMO_STUDENT.email},`) && l.includes(",public,"))).toBe(true);
    await page.close();
  }, 2 * GRADING_TIMEOUT_MS);

  it("reports no Content-Security-Policy violation on any page it opened", () => {
    expect(cspViolations(site.browser)).toEqual([]);
  });
});

if (!hasChromium) console.warn(NO_CHROMIUM);
