import { getDb } from "@/db";
import { completeLaunch, LtiCookieBlocked } from "@/domain/lti/complete-launch";
import { clearStateCookieHeader, hasStateCookie } from "@/app/_lib/lti/launch-cookies";
import { openInWindowPage } from "@/app/_lib/lti/open-window-page";
import { ltiFailure, requestParams } from "@/app/_lib/lti/refusal-response";
import { toolBaseUrl, toolUrls } from "@/app/_lib/lti/tool-urls";

/**
 * The LTI launch: the platform's form post of the id_token (cross-site by design; it proves itself
 * by its signature and by the state cookie of the browser that started the login, not by Origin).
 * A valid launch goes on to the page that signs the browser in or to the deep-linking picker; a
 * refused one gets an error page and no session.
 */
export async function POST(req: Request): Promise<Response> {
  let state: string | undefined;
  try {
    const form = await requestParams(req);
    state = form.state;
    const outcome = await completeLaunch(await getDb(), form, (s) => hasStateCookie(req, s));
    const next = outcome.kind === "deep-link" ? `/lti/deep-link?t=${outcome.ticket}` : `/lti/continue?t=${outcome.ticket}`;
    return new Response(null, {
      status: 303,
      headers: { location: `${toolBaseUrl(req)}${next}`, "set-cookie": clearStateCookieHeader(form.state), "cache-control": "no-store" },
    });
  } catch (err) {
    if (err instanceof LtiCookieBlocked) {
      // The frame kept no cookie (third-party cookies blocked): start the same login again in a
      // window of its own, where the cookie is first-party — or, once the browser grants storage
      // access, in the frame again. Nothing was signed in; the state stays unused.
      console.warn(`[lti] launch in a frame without its state cookie: offering a new window (${err.detail})`);
      const restart = `${toolUrls(toolBaseUrl(req)).login}?${new URLSearchParams(err.loginParams)}`;
      return openInWindowPage({ windowHref: restart, retryHref: restart });
    }
    return ltiFailure(err, `launch${state ? ` (state ${state.slice(0, 8)}…)` : ""}`);
  }
}
