/**
 * The cookie binding an LTI login to the browser that started it. The login runs inside the LMS's
 * iframe and the platform posts the launch back from its own site, so the cookie must be
 * `SameSite=None` (and therefore `Secure`: Chromium accepts Secure cookies from http://localhost
 * and http://127.0.0.1, which count as secure contexts, so the tests run over http). It is also
 * `Partitioned` (CHIPS): Chromium blocks unpartitioned third-party cookies by default (checked with
 * Chromium 156: in a frame of another site only the partitioned one was kept), while a partitioned
 * cookie lives in a jar of its own keyed by the LMS's site — the frame that starts the login is the
 * frame the launch is posted to, so it comes back. Where even that is blocked, the launch page
 * offers a new window (app/api/lti/launch/route.ts). It is sent to the launch endpoint only and
 * lives as long as the state does; one cookie per state, so two launches in two frames do not
 * overwrite each other.
 */
const PREFIX = "tg_lti_state_";
const STATE_COOKIE_MAX_AGE_S = 600;
export const LAUNCH_PATH = "/api/lti/launch";

export function stateCookieHeader(state: string): string {
  return `${PREFIX}${state}=1; Path=${LAUNCH_PATH}; Max-Age=${STATE_COOKIE_MAX_AGE_S}; HttpOnly; Secure; SameSite=None; Partitioned`;
}

export function clearStateCookieHeader(state: string): string {
  return `${PREFIX}${state}=; Path=${LAUNCH_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=None; Partitioned`;
}

/** Whether the request carries the cookie of this state. */
export function hasStateCookie(req: Request, state: string): boolean {
  const cookies = req.headers.get("cookie") ?? "";
  return cookies.split(";").some((c) => c.trim() === `${PREFIX}${state}=1`);
}
