import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/app/_lib/auth/secret";

/**
 * Tensorgrade inside an LMS's iframe. A launch in a frame whose browser keeps Tensorgrade's cookies
 * there gets two cookies, both `SameSite=None; Secure; Partitioned` — so they live in the cookie jar
 * of the LMS's site only (CHIPS) and are never sent to Tensorgrade opened on its own:
 * - the session (app/_lib/lti/session-cookie.ts), and
 * - this one, naming the origins allowed to frame Tensorgrade's pages (the LMS's), signed with the
 *   session secret. middleware.ts lets those origins frame a page only when it carries this cookie;
 *   every other request keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
 * A browser that blocks them (third-party cookies off, even partitioned) never gets here: the launch
 * ends on a page that opens Tensorgrade in a window of its own (app/lti/continue/route.ts).
 */
export const FRAME_COOKIE = "tg_lti_frame";
/** The probe set before the session, to learn whether the frame keeps cookies at all. */
export const PROBE_COOKIE = "tg_lti_probe";
export const CONTINUE_PATH = "/lti/continue";

/** Partitioned third-party cookie attributes (Secure is required for both SameSite=None and Partitioned). */
export const FRAMED_COOKIE_ATTRIBUTES = "HttpOnly; Secure; SameSite=None; Partitioned";

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/;
const MAX_ORIGINS = 20;

function mac(payload: string): Buffer {
  return createHmac("sha256", authSecret()).update(`tg-lti-frame\n${payload}`).digest();
}

/** Only well-formed origins go into a CSP: nothing from a token can add a directive. */
export function cleanOrigins(origins: Iterable<string>): string[] {
  return [...new Set([...origins].filter((o) => ORIGIN.test(o)))].slice(0, MAX_ORIGINS);
}

export function frameCookieHeader(origins: string[], maxAgeS: number, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ o: cleanOrigins(origins), e: Math.floor(now / 1000) + maxAgeS })).toString("base64url");
  return `${FRAME_COOKIE}=${payload}.${mac(payload).toString("base64url")}; Path=/; Max-Age=${maxAgeS}; ${FRAMED_COOKIE_ATTRIBUTES}`;
}

function cookieValue(cookieHeader: string | null, name: string): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The origins the request's frame cookie allows to frame the page, or null without a valid one
 * (absent, forged, expired). Bounded before it is parsed.
 */
export function framingOrigins(cookieHeader: string | null, now = Date.now()): string[] | null {
  const value = cookieValue(cookieHeader, FRAME_COOKIE);
  if (!value || value.length > 4096) return null;
  const [payload, sig] = value.split(".");
  if (!payload || !sig) return null;
  const expected = mac(payload);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { o?: unknown; e?: unknown };
    if (typeof parsed.e !== "number" || parsed.e * 1000 <= now || !Array.isArray(parsed.o)) return null;
    const origins = cleanOrigins(parsed.o.filter((o): o is string => typeof o === "string"));
    return origins.length ? origins : null;
  } catch {
    return null;
  }
}

export function probeCookieHeader(): string {
  return `${PROBE_COOKIE}=1; Path=${CONTINUE_PATH}; Max-Age=120; ${FRAMED_COOKIE_ATTRIBUTES}`;
}

export function clearProbeCookieHeader(): string {
  return `${PROBE_COOKIE}=; Path=${CONTINUE_PATH}; Max-Age=0; ${FRAMED_COOKIE_ATTRIBUTES}`;
}

export const hasProbeCookie = (cookieHeader: string | null) => cookieValue(cookieHeader, PROBE_COOKIE) === "1";

export type ContinueStep = "sign-in-window" | "probe" | "sign-in-frame" | "open-window";

/**
 * What /lti/continue does with a validated launch's ticket. In a window of its own: sign in
 * (`sign-in-window`, the usual SameSite=Lax session). In the LMS's frame: first set a probe cookie
 * and come back (`probe`); if the probe came back, the frame keeps cookies, so sign in there
 * (`sign-in-frame`); if not, third-party cookies are blocked and the page offers a new window
 * (`open-window`), where the same ticket signs in.
 */
export function continueStep(req: { framed: boolean; probed: boolean; probeCookie: boolean }): ContinueStep {
  if (!req.framed) return "sign-in-window";
  if (!req.probed) return "probe";
  return req.probeCookie ? "sign-in-frame" : "open-window";
}
