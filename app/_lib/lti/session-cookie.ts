import { encode } from "next-auth/jwt";
import { authOptions } from "@/app/_lib/auth/options";
import { authSecret } from "@/app/_lib/auth/secret";

/** next-auth v4's session cookie name (`__Secure-` prefixed when the site is served over https). */
function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}next-auth.session-token`;
}

/**
 * The Set-Cookie of a next-auth session for `userId`, made with next-auth's own `encode`, the same
 * secret and lifetime as a password sign-in, so getServerSession reads it like any other session.
 * Used only after a validated launch's single-use ticket was redeemed in a top-level window.
 */
export async function sessionCookieHeader(user: { id: string; name: string; email: string }): Promise<string> {
  const options = authOptions();
  const maxAge = options.session?.maxAge ?? 30 * 24 * 60 * 60;
  const secure = options.useSecureCookies ?? false;
  const value = await encode({ token: { sub: user.id, name: user.name, email: user.email }, secret: authSecret(), maxAge });
  return `${sessionCookieName(secure)}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
