import { describe, expect, it } from "vitest";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { cspViolations, hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { sessionCookie } from "./helpers/http-session";
import { useRunningSite } from "./helpers/running-site";

/** 3,072 × 1,000 weights, over the lesson's 500,000-parameter budget: a 422, stored as a rejected submission. */
const OVER_BUDGET_SPEC = {
  kind: "cnn",
  layers: [{ type: "flatten" }, { type: "dense", units: 1_000, activation: "relu" }, { type: "dense", units: 5, activation: "softmax" }],
  training: { epochs: 1 },
};

function submissionForm(): FormData {
  const fd = new FormData();
  fd.set("mode", "builder");
  fd.set("spec", JSON.stringify(OVER_BUDGET_SPEC));
  return fd;
}

const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

describe.skipIf(!hasChromium)("browser hardening and cross-site requests against a running site", () => {
  const site = useRunningSite({ browser: true, signInAs: DEMO_STUDENT });

  /** The ids of the student's submissions listed on the assignment page (its history table). */
  const listedSubmissions = async () => {
    const html = await (await fetch(`${site.server.url}/courses/cv-fundamentals/assignments/6`, { headers: { cookie: site.cookie } })).text();
    return new Set([...html.matchAll(/\/submissions\/([0-9a-f-]{36})/g)].map((m) => m[1]));
  };

  it("refuses a cross-site or unattributed submission with a 403 and stores nothing, and still takes the site's own", async () => {
    const before = await listedSubmissions();
    const attempts: [string, Record<string, string>][] = [
      ["another site's Origin", { origin: "http://evil.example" }],
      ["a cross-site Sec-Fetch-Site and no Origin", { "sec-fetch-site": "cross-site" }],
      ["neither header (curl)", {}],
    ];
    for (const [what, headers] of attempts) {
      const res = await fetch(`${site.server.url}/api/assignments/6/submissions`, { method: "POST", headers: { ...headers, cookie: site.cookie }, body: submissionForm() });
      expect(res.status, what).toBe(403);
      expect(((await res.json()) as { error: string }).error, what).toMatch(/^Refused: /);
    }
    expect(await listedSubmissions()).toEqual(before);

    // The same request from the site's own origin is processed: refused on its merits, and recorded.
    const own = await fetch(`${site.server.url}/api/assignments/6/submissions`, { method: "POST", headers: { origin: site.server.url, cookie: site.cookie }, body: submissionForm() });
    expect(own.status).toBe(422);
    expect(((await own.json()) as { error: string }).error).toMatch(/budget/i);
    expect((await listedSubmissions()).size).toBe(before.size + 1);
  });

  it("refuses a cross-site dataset upload by an instructor and a cross-site quiz start", async () => {
    const instructor = await sessionCookie(site.server.url, DEMO_INSTRUCTOR);
    const upload = new FormData();
    upload.set("role", "train");
    upload.set("format", "image-folder");
    const res = await fetch(`${site.server.url}/courses/cv-fundamentals/assignments/6/datasets/upload`, { method: "POST", headers: { origin: "http://evil.example", cookie: instructor }, body: upload });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/came from another site/);
    const quiz = await fetch(`${site.server.url}/api/quizzes/${crypto.randomUUID()}/attempts`, { method: "POST", headers: { origin: "http://evil.example", cookie: site.cookie } });
    expect(quiz.status).toBe(403);
  });

  it("sends the security headers on pages, route handlers, next-auth's endpoints, static files and 404s", async () => {
    const home = await fetch(`${site.server.url}/`, { headers: { cookie: site.cookie } });
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await home.text())?.[1];
    expect(script).toBeDefined();
    const responses = [
      home,
      await fetch(`${site.server.url}/signin`),
      await fetch(`${site.server.url}/api/auth/csrf`),
      await fetch(`${site.server.url}/api/health`),
      await fetch(`${site.server.url}/api/assignments/6/submissions`, { method: "POST", headers: { origin: "http://evil.example" } }),
      await fetch(`${site.server.url}${script}`),
      await fetch(`${site.server.url}/no-such-page`),
    ];
    for (const res of responses) {
      const where = res.url;
      if (!res.bodyUsed) await res.body?.cancel();
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, where).toContain("frame-ancestors 'none'");
      expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
      expect(csp, where).toContain("object-src 'none'");
      expect(res.headers.get("x-frame-options"), where).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), where).toBe("strict-origin-when-cross-origin");
    }
    // A nonce is used once: every response gets its own.
    expect(new Set(responses.map((r) => nonceOf(r.headers.get("content-security-policy")))).size).toBe(responses.length);
  });

  it("puts the response's nonce on every script of a page, and no script without it", async () => {
    const res = await fetch(`${site.server.url}/signin`);
    const nonce = nonceOf(res.headers.get("content-security-policy"));
    const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("renders and runs every kind of page under the policy — sign-in, builder, instructor tools — with no violation reported", async () => {
    const page = await site.browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(`${site.server.url}/`);
    await screenshot(page, "hardening-home");
    await signIn(page, site.server.url, DEMO_STUDENT); // a client-side form: only works if its scripts ran
    for (const p of ["/courses/cv-fundamentals", "/courses/cv-fundamentals/lessons/6", "/courses/cv-fundamentals/lessons/6/quiz", "/courses/cv-fundamentals/assignments/6/leaderboard", "/no-such-page"]) {
      await page.goto(site.server.url + p);
      await page.locator("h1, h2").first().waitFor();
    }
    // The builder is a client component: adding a layer redraws its live shape table.
    await page.goto(`${site.server.url}/courses/cv-fundamentals/assignments/6`);
    await page.getByLabel("Layer type to add").selectOption({ label: "Flatten" });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByTestId("layer-row-0").waitFor();
    await screenshot(page, "hardening-builder");
    await page.close();

    const instructor = await site.browser.newPage({ viewport: { width: 1100, height: 800 } });
    await signIn(instructor, site.server.url, DEMO_INSTRUCTOR);
    for (const p of ["/instructor", "/instructor/quizzes", "/courses/cv-fundamentals/assignments/6/submissions", "/courses/cv-fundamentals/assignments/6/gradebook", "/courses/cv-fundamentals/assignments/6/datasets", "/courses/cv-fundamentals/assignments/6/leaderboard"]) {
      await instructor.goto(site.server.url + p);
      await instructor.locator("h1").first().waitFor();
    }
    await screenshot(instructor, "hardening-instructor-leaderboard");
    await instructor.close();
    expect(cspViolations(site.browser)).toEqual([]);
  });

  it("cannot be framed by another page", async () => {
    const page = await site.browser.newPage();
    const refused = new Promise<string>((resolve) =>
      page.on("console", (msg) => {
        if (/frame-ancestors/.test(msg.text())) resolve(msg.text());
      }),
    );
    await page.setContent(`<iframe src="${site.server.url}/signin" width="600" height="400"></iframe>`);
    expect(await refused).toMatch(/violates the following Content Security Policy directive: "frame-ancestors 'none'"/);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(await frame?.locator("form").count().catch(() => 0)).toBe(0);
    await page.close();
  });

  it("blocks a script injected into a page's HTML (the XSS case), and the violation watcher reports it", async () => {
    const page = await site.browser.newPage();
    // The real page with its real headers, plus what a stored XSS would add to its HTML.
    await page.route(`${site.server.url}/signin`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace("</body>", "<script>document.body.dataset.injected = 'yes'</script></body>");
      await route.fulfill({ response, body: html });
    });
    const before = cspViolations(site.browser).length;
    await page.goto(`${site.server.url}/signin`);
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    expect(await page.evaluate(() => document.body.dataset.injected)).toBeUndefined();
    await expect.poll(() => cspViolations(site.browser).slice(before).join("\n")).toMatch(/script-src/);
    await page.close();
  });
});

if (!hasChromium) console.warn(NO_CHROMIUM);
