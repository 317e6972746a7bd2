/**
 * Cross-site request refusal for route handlers: the one rule deciding whether a state-changing
 * request came from the site's own pages.
 *
 * Why both Origin and Sec-Fetch-Site: every current browser sends `Origin` on a cross-site POST
 * (form or fetch) and `Sec-Fetch-Site` on every request, and a page cannot forge either. The
 * session cookie's `SameSite=Lax` already keeps it off most cross-site POSTs; this check is the
 * second wall, and the one that holds for same-site-but-other-origin pages and older browsers.
 *
 * The site's own origin is the public URL (`NEXTAUTH_URL`) when set, or whatever host the request
 * was addressed to (`X-Forwarded-Host`, else `Host`, as Next.js compares for server actions). The
 * Host match is safe against CSRF: a cross-site page makes the browser send the attacker's Origin
 * with our Host, and it cannot set `X-Forwarded-Host` without a CORS preflight we never grant. It
 * also keeps the site usable at 127.0.0.1 or behind a proxy whose public name differs from
 * NEXTAUTH_URL (the e2e servers listen on 127.0.0.1 with random ports).
 *
 * A request with neither header did not come from a browser page (curl, a script, a server). It is
 * refused too: a browser-less client can send `Origin` itself, and refusing by default means a
 * future browser quirk that drops both headers fails closed rather than open.
 *
 * Not covered here, by design: next-auth's own endpoints (`/api/auth/*`) check their double-submit
 * CSRF token, and server actions are checked by Next.js itself — Next 15
 * (`next/dist/server/app-render/action-handler.js`, `handleAction`) compares the Origin's host with
 * `X-Forwarded-Host`/`Host` and aborts a mismatching action ("Invalid Server Actions request.").
 * It lets an action without Origin through (with a warning); browsers send Origin on every POST,
 * so that gap is open only to clients that could forge the header anyway.
 */

/** Methods that must not change anything, so they are never refused for where they came from. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The first value of a header that proxies may send as a comma-separated list. */
function firstValue(header: string | null): string | null {
  const v = header?.split(",")[0]?.trim();
  return v ? v : null;
}

function parseOrigin(value: string): URL | null {
  if (value === "null") return null; // sandboxed frames, file: pages, privacy redirects
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The hosts (host:port) this request was addressed to, as the server sees them. */
export function addressedHosts(req: Request): string[] {
  const hosts = [firstValue(req.headers.get("x-forwarded-host")), req.headers.get("host")];
  try {
    hosts.push(new URL(req.url).host);
  } catch {
    // A relative or unparsable URL adds nothing.
  }
  return hosts.filter((h): h is string => Boolean(h)).map((h) => h.toLowerCase());
}

/**
 * Why this request is refused as cross-site, or null when it may proceed.
 * @param siteUrl the site's public URL (`NEXTAUTH_URL`), when configured
 */
export function crossSiteRefusal(req: Request, siteUrl: string | undefined): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const originHeader = req.headers.get("origin");
  if (originHeader !== null) {
    const origin = parseOrigin(originHeader);
    if (origin) {
      if (siteUrl && new URL(siteUrl).origin === origin.origin) return null;
      if (addressedHosts(req).includes(origin.host.toLowerCase())) return null;
    }
    return `Refused: this request came from another site (${originHeader.slice(0, 100)}). Only this site's own pages can make changes to your account.`;
  }
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite !== null) {
    if (fetchSite === "same-origin") return null;
    return `Refused: this request came from another site (Sec-Fetch-Site: ${fetchSite.slice(0, 20)}). Only this site's own pages can make changes to your account.`;
  }
  return "Refused: the request did not say which site sent it (no Origin or Sec-Fetch-Site header). A script must send an Origin header with this site's address.";
}
