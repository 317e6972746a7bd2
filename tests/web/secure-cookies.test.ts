import { afterEach, describe, expect, it, vi } from "vitest";
import NextAuth from "next-auth";

/** Records what next-auth's (pages-style) handler writes, the parts a browser would act on. */
class RecordedResponse {
  headers = new Map<string, string[]>();
  statusCode = 200;
  body: unknown;
  getHeader(name: string) {
    return this.headers.get(name.toLowerCase());
  }
  setHeader(name: string, value: string | string[]) {
    this.headers.set(name.toLowerCase(), Array.isArray(value) ? value : [value]);
    return this;
  }
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  send(body: unknown) {
    this.body = body;
    return this;
  }
  json(body: unknown) {
    return this.send(body);
  }
  end() {
    return this;
  }
}

/** The cookies next-auth sets on a first visit (its CSRF cookie), with the site at `siteUrl`. */
async function firstVisitCookies(siteUrl: string) {
  vi.stubEnv("NEXTAUTH_URL", siteUrl);
  vi.stubEnv("NEXTAUTH_SECRET", "secure-cookie-test-secret-0123456789");
  vi.resetModules(); // env.ts reads the environment once, at import
  const { authOptions } = await import("@/app/_lib/auth/options");
  const options = authOptions();
  const res = new RecordedResponse();
  const req = { method: "GET", query: { nextauth: ["csrf"] }, cookies: {}, headers: { host: new URL(siteUrl).host }, body: {} };
  // The two-argument pages-router form: the same core next-auth runs for app/api/auth/[...nextauth].
  await (NextAuth as unknown as (req: unknown, res: unknown, o: typeof options) => Promise<void>)(req, res, options);
  const setCookies = res.headers.get("set-cookie") ?? [];
  return { useSecureCookies: options.useSecureCookies, setCookies };
}

describe("session and CSRF cookies", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("are Secure, with the __Host- prefix, when the site's URL is https", async () => {
    const { useSecureCookies, setCookies } = await firstVisitCookies("https://tensorgrade.example");
    expect(useSecureCookies).toBe(true);
    const csrf = setCookies.find((c) => c.includes("next-auth.csrf-token="));
    expect(csrf).toMatch(/^__Host-next-auth\.csrf-token=/);
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).toMatch(/; HttpOnly/);
    expect(csrf).toMatch(/; SameSite=Lax/);
  });

  it("are not Secure on a plain-http development site (a browser would drop them)", async () => {
    const { useSecureCookies, setCookies } = await firstVisitCookies("http://127.0.0.1:3000");
    expect(useSecureCookies).toBe(false);
    const csrf = setCookies.find((c) => c.includes("next-auth.csrf-token="));
    expect(csrf).toMatch(/^next-auth\.csrf-token=/);
    expect(csrf).not.toMatch(/Secure/);
  });
});
