/**
 * next-auth's redirect callback. Its default answers `${baseUrl}${path}`, and baseUrl is
 * NEXTAUTH_URL (scripts/start.mjs sets it to http://localhost:$PORT when unset): a student who
 * opened the site at 127.0.0.1 or a LAN name was sent to localhost after signing up, where the
 * session cookie just set for the other host does not exist, so they looked signed out (issue 14 §4).
 *
 * Answering a path instead keeps the browser on the host it is using. The open-redirect rule is
 * next-auth's own: a URL on another origin is refused (the site's root instead). A path is never
 * allowed to start with `//` or `/\`, which browsers read as another host.
 */
export function sameSiteRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  let base: URL;
  let target: URL;
  try {
    base = new URL(baseUrl);
    target = new URL(url, base);
  } catch {
    return "/";
  }
  if (target.origin !== base.origin) return "/";
  // "/\evil.example" parses as a path on this origin but a browser given it as a Location may not.
  const path = target.pathname.replace(/^[/\\]+/, "/");
  return `${path}${target.search}${target.hash}`;
}
