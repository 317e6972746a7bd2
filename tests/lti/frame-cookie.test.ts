import { describe, expect, it } from "vitest";
import { continueStep, framingOrigins, frameCookieHeader, hasProbeCookie, probeCookieHeader } from "@/app/_lib/lti/frame-cookie";
import { contentSecurityPolicy } from "@/app/_lib/http/security-headers";
import { sessionCookieHeader } from "@/app/_lib/lti/session-cookie";

/** The value part of a Set-Cookie, as the browser sends it back. */
const sent = (setCookie: string) => setCookie.split(";")[0];

describe("Tensorgrade inside the LMS frame: when it signs in there, and who may frame it", () => {
  it("signs in inside the frame only when the frame kept a probe cookie; otherwise offers a new window", () => {
    expect(continueStep({ framed: false, probed: false, probeCookie: false })).toBe("sign-in-window");
    expect(continueStep({ framed: true, probed: false, probeCookie: false })).toBe("probe");
    expect(continueStep({ framed: true, probed: true, probeCookie: true })).toBe("sign-in-frame");
    // Third-party cookies blocked: the probe did not come back.
    expect(continueStep({ framed: true, probed: true, probeCookie: false })).toBe("open-window");
    expect(hasProbeCookie(sent(probeCookieHeader()))).toBe(true);
    expect(hasProbeCookie("other=1")).toBe(false);
  });

  it("makes the framed cookies partitioned third-party cookies, and keeps the ordinary session Lax", async () => {
    for (const c of [probeCookieHeader(), frameCookieHeader(["https://lms.example"], 60), await sessionCookieHeader({ id: "u1", name: "A", email: "a@b.c" }, { framed: true })]) {
      expect(c).toMatch(/; Secure; SameSite=None; Partitioned/);
    }
    const plain = await sessionCookieHeader({ id: "u1", name: "A", email: "a@b.c" });
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).not.toMatch(/SameSite=None|Partitioned/);
  });

  it("lets only the LMS its signed cookie names frame a page; a forged, altered or expired cookie frames nothing", () => {
    const cookie = sent(frameCookieHeader(["https://school.instructure.com", "https://canvas.instructure.com"], 60));
    expect(framingOrigins(cookie)).toEqual(["https://school.instructure.com", "https://canvas.instructure.com"]);
    expect(framingOrigins(`a=b; ${cookie}; c=d`)).toHaveLength(2);
    const [name, value] = cookie.split("=");
    const [payload, sig] = value.split(".");
    const forged = Buffer.from(JSON.stringify({ o: ["https://evil.example"], e: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
    expect(framingOrigins(`${name}=${forged}.${sig}`)).toBeNull();
    expect(framingOrigins(`${name}=${payload}.${sig.slice(0, -2)}AA`)).toBeNull();
    expect(framingOrigins(`${name}=${"x".repeat(5000)}`)).toBeNull();
    expect(framingOrigins(sent(frameCookieHeader(["https://lms.example"], 60, Date.now() - 120_000)))).toBeNull();
    expect(framingOrigins(null)).toBeNull();
    // Nothing but an origin reaches the CSP, so a token cannot add a directive.
    expect(framingOrigins(sent(frameCookieHeader(["https://lms.example; script-src *", "javascript:alert(1)", "https://ok.example"], 60)))).toEqual(["https://ok.example"]);
  });

  it("puts those origins in frame-ancestors, and 'none' without them", () => {
    expect(contentSecurityPolicy("n", { development: false })).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy("n", { development: false, frameAncestors: ["https://lms.example"] })).toContain("frame-ancestors 'self' https://lms.example");
  });
});
