import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "@/app/_lib/http/same-origin";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SITE = "https://tensorgrade.example";

function request(method: string, headers: Record<string, string>, url = "http://127.0.0.1:4321/api/x"): Request {
  return new Request(url, { method, headers });
}

describe("the cross-site request rule", () => {
  it("refuses a POST whose Origin is another site, saying so", () => {
    const why = crossSiteRefusal(request("POST", { origin: "http://evil.example", host: "127.0.0.1:4321" }), SITE);
    expect(why).toMatch(/another site \(http:\/\/evil\.example\)/);
  });

  it("accepts a POST from the site's public URL, even when a proxy addressed it to another host", () => {
    expect(crossSiteRefusal(request("POST", { origin: SITE, host: "10.0.0.7:3000" }), SITE)).toBeNull();
  });

  it("accepts a POST whose Origin is the host it was addressed to (127.0.0.1 on a random port, as in the e2e servers)", () => {
    expect(crossSiteRefusal(request("POST", { origin: "http://127.0.0.1:4321", host: "127.0.0.1:4321" }), undefined)).toBeNull();
    expect(crossSiteRefusal(request("POST", { origin: "http://127.0.0.1:4321", host: "127.0.0.1:4321" }), "http://localhost:4321")).toBeNull();
    // Behind a proxy that forwards the public host, as Next.js compares for server actions.
    expect(crossSiteRefusal(request("POST", { origin: "https://course.example", host: "app:3000", "x-forwarded-host": "course.example" }), undefined)).toBeNull();
  });

  it("refuses the same host on another port, and a sibling subdomain", () => {
    expect(crossSiteRefusal(request("POST", { origin: "http://127.0.0.1:9999", host: "127.0.0.1:4321" }), undefined)).not.toBeNull();
    expect(crossSiteRefusal(request("POST", { origin: "https://evil.tensorgrade.example", host: "tensorgrade.example" }), SITE)).not.toBeNull();
  });

  it("refuses an opaque or malformed Origin", () => {
    expect(crossSiteRefusal(request("POST", { origin: "null", host: "127.0.0.1:4321" }), SITE)).toMatch(/another site \(null\)/);
    expect(crossSiteRefusal(request("POST", { origin: "not a url", host: "127.0.0.1:4321" }), SITE)).not.toBeNull();
  });

  it("falls back to Sec-Fetch-Site when there is no Origin: same-origin passes, same-site and cross-site do not", () => {
    expect(crossSiteRefusal(request("POST", { "sec-fetch-site": "same-origin" }), SITE)).toBeNull();
    expect(crossSiteRefusal(request("POST", { "sec-fetch-site": "same-site" }), SITE)).toMatch(/Sec-Fetch-Site: same-site/);
    expect(crossSiteRefusal(request("DELETE", { "sec-fetch-site": "cross-site" }), SITE)).toMatch(/another site/);
  });

  it("refuses a state-changing request that says nothing about where it came from, telling a script what to send", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(crossSiteRefusal(request(method, {}), SITE)).toMatch(/no Origin or Sec-Fetch-Site header.*send an Origin header/);
    }
  });

  it("never refuses a read: GET and HEAD change nothing", () => {
    expect(crossSiteRefusal(request("GET", { origin: "http://evil.example" }), SITE)).toBeNull();
    expect(crossSiteRefusal(request("HEAD", {}), SITE)).toBeNull();
  });
});

/** Every `route.ts` under app/, with the HTTP methods it exports. */
function routeFiles(dir = path.join(ROOT, "app")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return routeFiles(p);
    return d.name === "route.ts" ? [p] : [];
  });
}

/** next-auth's endpoints check their own double-submit CSRF token (csrfToken cookie + form field). */
const OWN_CSRF_PROTECTION = new Set(["app/api/auth/[...nextauth]/route.ts"]);
/**
 * LTI 1.3 endpoints: the LMS posts to them from its own site by design (login initiation, the id_token launch, the
 * deep-linking picker's form inside the LMS frame). They never read a session; they authenticate by the platform's
 * signature, the state cookie bound to this browser, or a single-use ticket (tests/lti/launch-validation.test.ts).
 */
const LMS_POSTS_CROSS_SITE = ["app/api/lti/login/route.ts", "app/api/lti/launch/route.ts", "app/api/lti/deep-link/route.ts"];
const STATE_CHANGING = ["POST", "PUT", "PATCH", "DELETE"] as const;

describe("every state-changing route handler", () => {
  const files = routeFiles().map((f) => path.relative(ROOT, f)).filter((f) => !OWN_CSRF_PROTECTION.has(f) && !LMS_POSTS_CROSS_SITE.includes(f));
  const handlers: [string, string][] = [];
  for (const file of files) {
    const source = fs.readFileSync(path.join(ROOT, file), "utf8");
    for (const m of STATE_CHANGING) if (new RegExp(`export (const|async function) ${m}\\b`).test(source)) handlers.push([file, m]);
  }

  it("is found by this test (the list is not silently empty)", () => {
    expect(handlers.map(([f, m]) => `${m} ${f}`)).toEqual(
      expect.arrayContaining([
        "POST app/api/assignments/[number]/submissions/route.ts",
        "POST app/api/courses/[slug]/assignments/[number]/submissions/route.ts",
        "POST app/courses/[slug]/assignments/[number]/datasets/upload/route.ts",
        "POST app/api/quizzes/[quizId]/attempts/route.ts",
        "POST app/api/quizzes/[quizId]/attempts/[attemptId]/submit/route.ts",
      ]),
    );
  });

  it.each(handlers)("%s refuses a cross-site %s with a 403 before reading the session", async (file, method) => {
    const mod = (await import(path.join(ROOT, file))) as Record<string, (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>;
    const handler = mod[method]!;
    const params = Promise.resolve({ slug: "cv-fundamentals", number: "6", quizId: crypto.randomUUID(), attemptId: crypto.randomUUID(), id: crypto.randomUUID() });
    const crossSite = await handler(request(method, { origin: "http://evil.example", host: "127.0.0.1:4321" }), { params });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: string }).error).toMatch(/came from another site/);
    const anonymousScript = await handler(request(method, { host: "127.0.0.1:4321" }), { params });
    expect(anonymousScript.status).toBe(403);
    expect(((await anonymousScript.json()) as { error: string }).error).toMatch(/did not say which site sent it/);
  });
});

describe("the LTI endpoints an LMS posts to from its own site", () => {
  it.each(LMS_POSTS_CROSS_SITE)("%s answers a cross-site POST without valid LTI data with a 4xx and signs nobody in", async (file) => {
    const mod = (await import(path.join(ROOT, file))) as Record<string, (req: Request) => Promise<Response>>;
    const form = new URLSearchParams({ iss: "https://lms.example", login_hint: "x", target_link_uri: "https://tensorgrade.example/", id_token: "not.a.jwt", ticket: "forged" });
    const res = await mod.POST!(new Request("http://127.0.0.1:4321/api/lti/x", {
      method: "POST", body: form, headers: { origin: "https://lms.example", host: "127.0.0.1:4321", "content-type": "application/x-www-form-urlencoded" },
    }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("set-cookie") ?? "").not.toMatch(/next-auth\.session-token|__Secure-next-auth/);
  });
});
