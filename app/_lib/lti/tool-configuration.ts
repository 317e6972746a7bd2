import { SCOPE } from "@/domain/lti/service-token";
import { toolUrls } from "./tool-urls";

/**
 * The tool's LTI 1.3 configuration in the JSON Canvas accepts under Developer Keys → LTI Key →
 * "Paste JSON" (the fields other LMSs ask for by hand are the same URLs).
 * @see https://canvas.instructure.com/doc/api/file.lti_dev_key_config.html
 */
export function toolConfiguration(base: string, courseSlug: string) {
  const urls = toolUrls(base);
  return {
    title: "Tensorgrade",
    description: "Auto-graded computer-vision lessons, quizzes and Assignment 6, with grades sent back to the LMS.",
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    redirect_uris: [urls.launch],
    public_jwk_url: urls.jwks,
    scopes: [SCOPE.lineItem, SCOPE.score, SCOPE.roster],
    custom_fields: { tg_course: courseSlug },
    extensions: [
      {
        platform: "canvas.instructure.com",
        privacy_level: "public",
        settings: {
          placements: [
            { placement: "link_selection", message_type: "LtiDeepLinkingRequest", target_link_uri: urls.launch },
            { placement: "assignment_selection", message_type: "LtiDeepLinkingRequest", target_link_uri: urls.launch },
          ],
        },
      },
    ],
  };
}
