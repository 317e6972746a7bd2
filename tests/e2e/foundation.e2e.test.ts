import { describe, expect, it } from "vitest";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";
import { sessionCookie, trySignInOverHttp } from "./helpers/http-session";

describe.skipIf(!hasChromium)("the platform skeleton in a real browser", () => {
  const site = useRunningSite({ browser: true });

  it("serves a home page and a sign-in page to visitors", async () => {
    const page = await site.browser.newPage();
    await page.goto(site.server.url);
    await expect(page.getByRole("heading", { name: "Image Classification and Transfer Learning" }).isVisible()).resolves.toBe(true);
    await page.getByRole("link", { name: "Sign in" }).first().click();
    await page.waitForURL(/\/signin/);
    expect(await page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
    await page.close();
  });

  it("shows the student the course page with student navigation only", async () => {
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    expect(await page.getByRole("heading", { name: "Computer Vision Fundamentals" }).isVisible()).toBe(true);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Assignment 6" }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: "Instructor" }).count()).toBe(0);
    await screenshot(page, "foundation-course-student");
    await page.close();
  });

  it("shows the instructor extra navigation and the course's join code", async () => {
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Instructor", exact: true }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: "Quiz statistics" }).isVisible()).toBe(true);
    await nav.getByRole("link", { name: "Instructor", exact: true }).click();
    await page.waitForURL(/\/instructor$/);
    expect(await page.getByTestId("join-code").textContent()).toMatch(/^[A-Z2-9]{8}$/);
    // The dashboard links each assignment's instructor pages, built from the course and its number.
    expect(await page.getByRole("link", { name: "Gradebook" }).first().getAttribute("href")).toBe("/courses/cv-fundamentals/assignments/6/gradebook");
    await screenshot(page, "foundation-instructor");
    await page.close();
  });

  it("refuses the instructor page to a student with a 403, checked on the server", async () => {
    const cookie = await sessionCookie(site.server.url, DEMO_STUDENT);
    const res = await fetch(`${site.server.url}/instructor`, { headers: { cookie } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("join-code");
    const anonymous = await fetch(`${site.server.url}/instructor`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(anonymous.status);
    expect(anonymous.headers.get("location")).toContain("/signin");
  });

  it("refuses an instructor action replayed with a student's session", async () => {
    // Capture the real server-action request the instructor's "New code" button sends…
    const page = await site.browser.newPage();
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.goto(`${site.server.url}/instructor`);
    const before = await page.getByTestId("join-code").textContent();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
      page.getByRole("button", { name: "New code" }).click(),
    ]);
    await page.waitForFunction((old) => document.querySelector("[data-testid=join-code]")?.textContent !== old, before);
    const codeAfterInstructor = await page.getByTestId("join-code").textContent();
    // …and replay it as the student.
    const cookie = await sessionCookie(site.server.url, DEMO_STUDENT);
    const res = await fetch(request.url(), {
      method: "POST",
      headers: { ...request.headers(), cookie },
      body: request.postData(),
    });
    expect(await res.text()).toContain("Only instructors can do this.");
    await page.reload();
    expect(await page.getByTestId("join-code").textContent()).toBe(codeAfterInstructor);
    await page.close();
  });

  it("gives a wrong password and an unknown email the same answer", async () => {
    const wrong = await trySignInOverHttp(site.server.url, { email: DEMO_STUDENT.email, password: "not-the-password" });
    const unknown = await trySignInOverHttp(site.server.url, { email: "nobody@tensorgrade.dev", password: "not-the-password" });
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.location).toBe(unknown.location);
    expect(wrong.cookie).not.toContain("session-token");
    const page = await site.browser.newPage();
    await page.goto(`${site.server.url}/signin`);
    await page.getByLabel("Email", { exact: true }).fill("nobody@tensorgrade.dev");
    await page.getByLabel("Password", { exact: true }).fill("whatever");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // (Next.js has its own empty role=alert route announcer, hence the form scope.)
    const alert = page.locator("form [role=alert]");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Email or password is incorrect.");
    await page.close();
  });

  it("reports no Content-Security-Policy violation on any page it opened", () => {
    expect(cspViolations(site.browser)).toEqual([]);
  });
});

if (!hasChromium) console.warn(NO_CHROMIUM);
