import { describe, expect, it } from "vitest";
import { browserOrigin, sameSiteRedirect } from "@/app/_lib/auth/redirect";

const baseUrl = "http://localhost:3000";
const lan = "http://192.168.1.20:3000";

describe("where next-auth sends the browser after signing in or out", () => {
  it("stays on the address the browser opened the site at, not NEXTAUTH_URL's", () => {
    expect(sameSiteRedirect({ url: "/courses/cv-fundamentals", baseUrl }, lan)).toBe(`${lan}/courses/cv-fundamentals`);
    expect(sameSiteRedirect({ url: "http://localhost:3000/lessons/6/quiz?x=1#top", baseUrl }, lan)).toBe(`${lan}/lessons/6/quiz?x=1#top`);
    expect(sameSiteRedirect({ url: `${lan}/courses`, baseUrl }, lan)).toBe(`${lan}/courses`);
  });

  it("uses NEXTAUTH_URL when the browser's address is not known, as next-auth did", () => {
    expect(sameSiteRedirect({ url: "/courses/cv-fundamentals", baseUrl }, null)).toBe(`${baseUrl}/courses/cv-fundamentals`);
    expect(sameSiteRedirect({ url: baseUrl, baseUrl }, null)).toBe(`${baseUrl}/`);
  });

  it("refuses another site, however the address is written", () => {
    for (const url of [
      "https://evil.example/steal",
      "//evil.example/steal",
      "/\\evil.example/steal",
      "\\\\evil.example",
      "http://localhost:3001/",
      "https://localhost:3000/",
      "http://192.168.1.21:3000/",
      "javascript:alert(1)",
    ]) {
      expect(sameSiteRedirect({ url, baseUrl }, lan), url).toBe(`${lan}/`);
      expect(sameSiteRedirect({ url, baseUrl }, null), url).toBe(`${baseUrl}/`);
    }
  });

  it("never puts a second host in the path", () => {
    expect(sameSiteRedirect({ url: "http://localhost:3000//evil.example", baseUrl }, lan)).toBe(`${lan}/evil.example`);
  });
});

describe("the browser's own address, as a sign-in or sign-out request tells it", () => {
  const request = (headers: Record<string, string>) => new Request("http://localhost:3000/api/auth/callback/credentials", { method: "POST", headers });

  it("is the Origin the browser sent when the request was addressed to that host", () => {
    expect(browserOrigin(request({ origin: lan, host: "192.168.1.20:3000" }))).toBe(lan);
    expect(browserOrigin(request({ origin: "https://course.example", host: "app:3000", "x-forwarded-host": "course.example" }))).toBe(
      "https://course.example",
    );
  });

  it("is unknown when another site's page sent the request, or nothing says", () => {
    expect(browserOrigin(request({ origin: "https://evil.example", host: "192.168.1.20:3000" }))).toBeNull();
    expect(browserOrigin(request({ origin: "null", host: "192.168.1.20:3000" }))).toBeNull();
    expect(browserOrigin(request({ origin: "not a url", host: "192.168.1.20:3000" }))).toBeNull();
    expect(browserOrigin(request({ host: "192.168.1.20:3000" }))).toBeNull();
  });
});
