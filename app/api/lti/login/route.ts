import { getDb } from "@/db";
import { initiateLogin } from "@/domain/lti/login-initiation";
import { stateCookieHeader } from "@/app/_lib/lti/launch-cookies";
import { ltiFailure, requestParams } from "@/app/_lib/lti/refusal-response";
import { toolBaseUrl, toolUrls } from "@/app/_lib/lti/tool-urls";

/**
 * OIDC login initiation (LTI 1.3 third-party-initiated login), by GET or by a cross-site form
 * POST from the LMS: no session and no same-origin check, the platform is identified by the
 * registered issuer and client id. Sets the state cookie and sends the browser to the platform.
 */
async function handle(req: Request): Promise<Response> {
  try {
    const params = await requestParams(req);
    const { redirectUrl, state } = await initiateLogin(await getDb(), params, toolUrls(toolBaseUrl(req)).launch);
    return new Response(null, {
      status: 302,
      headers: { location: redirectUrl, "set-cookie": stateCookieHeader(state), "cache-control": "no-store" },
    });
  } catch (err) {
    return ltiFailure(err, "login initiation");
  }
}

export const GET = handle;
export const POST = handle;
