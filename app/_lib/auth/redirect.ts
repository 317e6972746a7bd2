import { addressedHosts } from "@/app/_lib/http/same-origin";

/**
 * Where next-auth sends the browser after signing in or out. Its default answers
 * `${baseUrl}${path}`, and baseUrl is NEXTAUTH_URL (scripts/start.mjs sets it to
 * http://localhost:$PORT when unset): a student who opened the site at 127.0.0.1 or a LAN name was
 * sent to localhost after signing up, where the session cookie just set for the other host does not
 * exist, so they looked signed out (issue 14 §4).
 *
 * So the answer is on the origin the browser is using (`browserOrigin`, see below) when known,
 * else on NEXTAUTH_URL as before. It stays absolute because next-auth's client parses it with
 * `new URL(data.url)`. The open-redirect rule is next-auth's own: only this site's origins (the
 * configured one and the browser's) are accepted, anything else becomes the site's root.
 */
export function sameSiteRedirect({ url, baseUrl }: { url: string; baseUrl: string }, browserOrigin: string | null): string {
  const configured = new URL(baseUrl).origin;
  const home = browserOrigin ?? configured;
  let target: URL;
  try {
    target = new URL(url, home);
  } catch {
    return `${home}/`;
  }
  if (target.origin !== configured && target.origin !== home) return `${home}/`;
  // A path starting with // or /\ would name another host if a client ever resolved it alone.
  const path = target.pathname.replace(/^[/\\]+/, "/");
  return `${home}${path}${target.search}${target.hash}`;
}

/**
 * The origin the browser addressed this request to, as it says in its Origin header, but only when
 * the request was really addressed to that host (Host or X-Forwarded-Host), so another site's page
 * cannot choose it. next-auth's client sends sign-in and sign-out as fetch POSTs, which carry Origin;
 * navigations (an OAuth callback) do not, and keep NEXTAUTH_URL. Behind a proxy that passes neither
 * the Host nor X-Forwarded-Host, Origin matches nothing and NEXTAUTH_URL is used, as it should be.
 */
export function browserOrigin(req: Request): string | null {
  const header = req.headers.get("origin");
  if (!header || header === "null") return null;
  let origin: URL;
  try {
    origin = new URL(header);
  } catch {
    return null;
  }
  if (origin.protocol !== "http:" && origin.protocol !== "https:") return null;
  return addressedHosts(req).includes(origin.host.toLowerCase()) ? origin.origin : null;
}
