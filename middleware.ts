import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/env";
import { contentSecurityPolicy, newNonce, STATIC_SECURITY_HEADERS } from "@/app/_lib/http/security-headers";

/**
 * Node.js runtime (stable in Next 15.5): an edge middleware would make Next compile
 * instrumentation.ts for the edge too, where its database imports cannot resolve; and the nonce
 * needs nothing the edge offers.
 */
export const config = { runtime: "nodejs" };

/**
 * Security headers on every response (pages, route handlers, static files), with a fresh CSP nonce
 * per request. The nonce goes into the request's own CSP header too: that is where Next.js reads it
 * to put it on the scripts it renders. Pages are all dynamically rendered (app/layout.tsx), so no
 * prerendered page carries a stale nonce.
 */
export function middleware(req: NextRequest): NextResponse {
  const csp = contentSecurityPolicy(newNonce(), { development: env.NODE_ENV === "development" });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.headers.set(name, value);
  return res;
}
