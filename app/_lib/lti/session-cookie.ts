import { encode } from "next-auth/jwt";
import { authOptions } from "@/app/_lib/auth/options";
import { authSecret } from "@/app/_lib/auth/secret";
import { FRAMED_COOKIE_ATTRIBUTES } from "./frame-cookie";

/** next-auth v4's session cookie name (`__Secure-` prefixed when the site is served over https). */
function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}next-auth.session-token`;
}

/** The session lifetime of a password sign-in, in seconds. */
export function sessionMaxAge(): number {
  return authOptions().session?.maxAge ?? 30 * 24 * 60 * 60;
}

/**
 * The Set-Cookie of a next-auth session for `userId`, made with next-auth's own `encode`, the same
 * secret and lifetime as a password sign-in, so getServerSession reads it like any other session.
 * Used only after a validated launch's single-use ticket was redeemed: in a window of its own it is
 * the ordinary `SameSite=Lax` cookie; `framed`, inside the LMS's iframe, it is `SameSite=None;
 * Secure; Partitioned` (kept in the LMS site's cookie jar only, app/_lib/lti/frame-cookie.ts).
 */
export async function sessionCookieHeader(user: { id: string; name: string; email: string }, opts: { framed?: boolean } = {}): Promise<string> {
  const maxAge = sessionMaxAge();
  const secure = authOptions().useSecureCookies ?? false;
  const value = await encode({ token: { sub: user.id, name: user.name, email: user.email }, secret: authSecret(), maxAge });
  const attributes = opts.framed ? FRAMED_COOKIE_ATTRIBUTES : `HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  return `${sessionCookieName(secure)}=${value}; Path=/; Max-Age=${maxAge}; ${attributes}`;
}
