import { z } from "zod";

/** The claim names of LTI 1.3 and its Advantage services. @see https://www.imsglobal.org/spec/lti/v1p3#required-message-claims */
export const CLAIM = {
  messageType: "https://purl.imsglobal.org/spec/lti/claim/message_type",
  version: "https://purl.imsglobal.org/spec/lti/claim/version",
  deploymentId: "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
  targetLinkUri: "https://purl.imsglobal.org/spec/lti/claim/target_link_uri",
  resourceLink: "https://purl.imsglobal.org/spec/lti/claim/resource_link",
  roles: "https://purl.imsglobal.org/spec/lti/claim/roles",
  context: "https://purl.imsglobal.org/spec/lti/claim/context",
  custom: "https://purl.imsglobal.org/spec/lti/claim/custom",
  launchPresentation: "https://purl.imsglobal.org/spec/lti/claim/launch_presentation",
  deepLinkingSettings: "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
  deepLinkingContentItems: "https://purl.imsglobal.org/spec/lti-dl/claim/content_items",
  deepLinkingData: "https://purl.imsglobal.org/spec/lti-dl/claim/data",
  ags: "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
  nrps: "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice",
} as const;

export const RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest";
export const DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest";
export const DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse";
export const LTI_VERSION = "1.3.0";

const url = z.string().url().max(2048);
const id = z.string().min(1).max(255);

/**
 * The part of a verified id_token Tensorgrade acts on. Parsed only after the signature, issuer,
 * audience, times and nonce have been checked; unknown claims are ignored.
 */
export const launchClaimsSchema = z.object({
  iss: z.string(),
  sub: id,
  aud: z.union([z.string(), z.array(z.string()).nonempty()]),
  azp: z.string().optional(),
  nonce: z.string(),
  name: z.string().max(300).optional(),
  given_name: z.string().max(300).optional(),
  family_name: z.string().max(300).optional(),
  email: z.string().max(320).optional(),
  [CLAIM.messageType]: z.string(),
  [CLAIM.version]: z.string(),
  [CLAIM.deploymentId]: id,
  [CLAIM.targetLinkUri]: url.optional(),
  [CLAIM.roles]: z.array(z.string().max(500)).max(100),
  [CLAIM.context]: z.object({ id, title: z.string().max(500).optional(), label: z.string().max(500).optional() }),
  [CLAIM.resourceLink]: z.object({ id, title: z.string().max(500).optional() }).optional(),
  [CLAIM.custom]: z.record(z.string().max(100), z.unknown()).optional(),
  [CLAIM.launchPresentation]: z.object({ document_target: z.string().max(40).optional(), return_url: url.optional() }).passthrough().optional(),
  [CLAIM.deepLinkingSettings]: z
    .object({
      deep_link_return_url: url,
      accept_types: z.array(z.string()).optional(),
      accept_multiple: z.boolean().optional(),
      data: z.string().max(4096).optional(),
    })
    .optional(),
  [CLAIM.ags]: z
    .object({ scope: z.array(z.string()).optional(), lineitems: url.optional(), lineitem: url.optional() })
    .optional(),
  [CLAIM.nrps]: z.object({ context_memberships_url: url, service_versions: z.array(z.string()).optional() }).optional(),
});
export type LaunchClaims = z.infer<typeof launchClaimsSchema>;

/** The login initiation request (GET query or POST form) a platform starts a launch with. @see https://www.imsglobal.org/spec/security/v1p0/#step-1-third-party-initiated-login */
export const loginInitiationSchema = z.object({
  iss: z.string().min(1).max(2048),
  login_hint: z.string().min(1).max(4096),
  target_link_uri: url,
  lti_message_hint: z.string().max(4096).optional(),
  client_id: z.string().max(255).optional(),
  lti_deployment_id: z.string().max(255).optional(),
});
export type LoginInitiation = z.infer<typeof loginInitiationSchema>;

/** The form post of the authentication response. */
export const launchFormSchema = z.object({
  id_token: z.string().min(1).max(64 * 1024),
  state: z.string().min(16).max(200),
});
