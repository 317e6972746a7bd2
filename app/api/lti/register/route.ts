import { getDb } from "@/db";
import { registerDynamically } from "@/domain/lti/dynamic-registration";
import { LtiServiceError } from "@/domain/lti/service-token";
import { HttpError } from "@/lib/errors";
import { esc, ltiErrorPage, ltiPage } from "@/app/_lib/lti/lti-page";
import { ltiFailure } from "@/app/_lib/lti/refusal-response";
import { toolBaseUrl, toolUrls } from "@/app/_lib/lti/tool-urls";

/**
 * LTI Dynamic Registration, opened by the LMS (in a frame or a window) with `openid_configuration`
 * and `registration_token`; `t` is the instructor's single-use registration ticket. On success the
 * page tells the LMS to close it (the spec's `org.imsglobal.lti.close` message).
 */
export async function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  try {
    const platform = await registerDynamically(await getDb(), {
      ticket: q.get("t") ?? "",
      openidConfiguration: q.get("openid_configuration") ?? "",
      registrationToken: q.get("registration_token") ?? undefined,
      tool: toolUrls(toolBaseUrl(req)),
    });
    return ltiPage({
      title: "Registered",
      body: `<h1>Tensorgrade is registered</h1><p role="status">Registered with ${esc(platform.name)} (client id <code>${esc(platform.clientId)}</code>). You can close this window.</p>`,
      script: `(window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");`,
    });
  } catch (err) {
    if (err instanceof LtiServiceError) return ltiErrorPage(502, err.message, "registrationFailed");
    if (err instanceof HttpError && err.status < 500) return ltiErrorPage(err.status, err.message, "registrationRefused");
    return ltiFailure(err, "dynamic registration");
  }
}
