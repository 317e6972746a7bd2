import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/env";
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from "@/app/_lib/http/security-headers";
import { framingOrigins } from "@/app/_lib/lti/frame-cookie";

/**
 * Node.js runtime (stable in Next 15.5): an edge middleware would make Next compile
 * instrumentation.ts for the edge too, where its database imports cannot resolve; and the nonce
 * needs nothing the edge offers.
 */
export const config = {
  runtime: "nodejs",
  /**
   * Only requests without a body (GET, HEAD). Next.js copies the body of every request its
   * middleware runs on — at most 10 MB, and under concurrency it loses parts of it
   * (vercel/next.js#83453): uploads arrived cut off or without their form fields. Requests with a
   * body (route handlers, server actions, sign-in) get the same static headers and a script-free
   * CSP from `headers()` in next.config.mjs instead; they answer JSON, redirects or RSC payloads,
   * whose scripts never run in a page.
   */
  // Not /lti/ and /api/lti/ either: those pages are framed by the registered LMSs and set their
  // own headers (app/_lib/lti/lti-page.ts).
  matcher: [{ source: "/((?!lti/|api/lti/).*)", missing: [{ type: "header", key: "content-type" }] }],
};

/**
 * Security headers on every response (pages, route handlers, static files), with a fresh CSP nonce
 * per request. The nonce goes into the request's own CSP header too: that is where Next.js reads it
 * to put it on the scripts it renders. Pages are all dynamically rendered (app/layout.tsx), so no
 * prerendered page carries a stale nonce.
 */
export function middleware(req: NextRequest): NextResponse {
  // Inside the LMS frame of a launch (a signed, partitioned cookie says which LMS): that LMS may frame the page.
  const framers = framingOrigins(req.headers.get("cookie"));
  const csp = contentSecurityPolicy(newNonce(), { development: env.NODE_ENV === "development", frameAncestors: framers ?? undefined });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) {
    // X-Frame-Options cannot name an origin; frame-ancestors above says who may frame.
    if (!(framers && name === "x-frame-options")) res.headers.set(name, value);
  }
  return res;
}
