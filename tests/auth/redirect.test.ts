import { describe, expect, it } from "vitest";
import { sameSiteRedirect } from "@/app/_lib/auth/redirect";

const baseUrl = "http://localhost:3000";

describe("where next-auth sends the browser after signing in or out", () => {
  it("keeps a path as a path, so the browser stays on the host it opened the site at", () => {
    expect(sameSiteRedirect({ url: "/courses/cv-fundamentals", baseUrl })).toBe("/courses/cv-fundamentals");
    expect(sameSiteRedirect({ url: "/lessons/6/quiz?x=1#top", baseUrl })).toBe("/lessons/6/quiz?x=1#top");
  });

  it("turns a URL on the configured site into its path", () => {
    expect(sameSiteRedirect({ url: "http://localhost:3000/courses/cv-fundamentals", baseUrl })).toBe("/courses/cv-fundamentals");
    expect(sameSiteRedirect({ url: baseUrl, baseUrl })).toBe("/");
  });

  it("refuses another site, however the address is written", () => {
    for (const url of [
      "https://evil.example/steal",
      "//evil.example/steal",
      "/\\evil.example/steal",
      "\\\\evil.example",
      "http://localhost:3001/",
      "https://localhost:3000/",
      "javascript:alert(1)",
    ]) {
      expect(sameSiteRedirect({ url, baseUrl }), url).toBe("/");
    }
  });

  it("never answers a path a browser would read as another host", () => {
    expect(sameSiteRedirect({ url: "http://localhost:3000//evil.example", baseUrl })).toBe("/evil.example");
    expect(sameSiteRedirect({ url: "http://localhost:3000/%2F%2Fevil.example", baseUrl })).toBe("/%2F%2Fevil.example");
  });
});
