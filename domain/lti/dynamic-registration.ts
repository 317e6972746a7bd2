import { z } from "zod";
import type { Db } from "@/db";
import { registerPlatform, type LtiPlatform } from "@/db/queries/lti/platforms";
import { LtiServiceError, SCOPE, SERVICE_TIMEOUT_MS } from "./service-token";
import { DEEP_LINKING_REQUEST, RESOURCE_LINK_REQUEST } from "./claims";
import { redeemTicket } from "./tickets";

/** How long a dynamic-registration URL an instructor made stays usable. */
export const REGISTRATION_TICKET_TTL_MS = 24 * 60 * 60_000;

const url = z.string().url().max(2048);

const platformConfigurationSchema = z.object({
  issuer: z.string().min(1).max(2048),
  authorization_endpoint: url,
  token_endpoint: url,
  jwks_uri: url,
  registration_endpoint: url,
  "https://purl.imsglobal.org/spec/lti-platform-configuration": z.object({ product_family_code: z.string().max(200).optional() }).optional(),
});

const registrationResponseSchema = z.object({
  client_id: z.string().min(1).max(255),
  "https://purl.imsglobal.org/spec/lti-tool-configuration": z.object({ deployment_id: z.string().min(1).max(255).optional() }).optional(),
});

export interface ToolEndpoints {
  login: string;
  launch: string;
  jwks: string;
}

async function fetchJson(input: string, init: RequestInit, what: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(input, { ...init, signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS) });
  } catch (err) {
    throw new LtiServiceError(`The LMS's ${what} could not be reached: ${(err as Error).message}`);
  }
  if (!res.ok) throw new LtiServiceError(`The LMS refused the ${what} (HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`, res.status);
  return res.json().catch(() => {
    throw new LtiServiceError(`The LMS's ${what} is not JSON.`);
  });
}

/**
 * LTI Dynamic Registration: the LMS administrator opens the registration URL an instructor made
 * (it carries a single-use ticket, so nobody else can attach an LMS to the course); the tool reads
 * the platform's OpenID configuration, registers itself at the platform's registration endpoint,
 * and records the platform (issuer, client id, deployment, endpoints) for the instructor's course.
 * @see https://www.imsglobal.org/spec/lti-dr/v1p0
 */
export async function registerDynamically(
  db: Db,
  input: { ticket: string; openidConfiguration: string; registrationToken?: string; tool: ToolEndpoints; toolName?: string },
): Promise<LtiPlatform> {
  const configUrl = url.safeParse(input.openidConfiguration);
  if (!configUrl.success) throw new LtiServiceError("The LMS did not say where its OpenID configuration is (openid_configuration).");
  const config = platformConfigurationSchema.safeParse(await fetchJson(configUrl.data, { headers: { accept: "application/json" } }, "OpenID configuration"));
  if (!config.success) throw new LtiServiceError("The LMS's OpenID configuration lacks the endpoints LTI needs.");
  // The spec: the configuration URL must start with the issuer, so a page cannot pass off another LMS's endpoints as its own.
  if (!configUrl.data.startsWith(config.data.issuer.replace(/\/$/, ""))) {
    throw new LtiServiceError(`The OpenID configuration's issuer (${config.data.issuer}) does not match where it was read from.`);
  }
  // Spent before the LMS is contacted: one URL registers one LMS, even if two tabs race.
  const ticket = await redeemTicket(db, input.ticket, "register");
  const { courseId } = z.object({ courseId: z.string().min(1) }).parse(ticket.data);
  const { origin, host } = new URL(input.tool.launch);
  const body = {
    application_type: "web",
    response_types: ["id_token"],
    grant_types: ["implicit", "client_credentials"],
    initiate_login_uri: input.tool.login,
    redirect_uris: [input.tool.launch],
    client_name: input.toolName ?? "Tensorgrade",
    jwks_uri: input.tool.jwks,
    token_endpoint_auth_method: "private_key_jwt",
    scope: [SCOPE.lineItem, SCOPE.score, SCOPE.roster].join(" "),
    "https://purl.imsglobal.org/spec/lti-tool-configuration": {
      domain: host,
      target_link_uri: input.tool.launch,
      description: "Auto-graded computer-vision lessons, quizzes and Assignment 6.",
      claims: ["iss", "sub", "name", "given_name", "family_name", "email"],
      messages: [
        { type: RESOURCE_LINK_REQUEST, target_link_uri: input.tool.launch },
        { type: DEEP_LINKING_REQUEST, target_link_uri: input.tool.launch, label: "Tensorgrade content" },
      ],
    },
    logo_uri: `${origin}/icon.svg`,
  };
  const registered = registrationResponseSchema.safeParse(
    await fetchJson(
      config.data.registration_endpoint,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          ...(input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {}),
        },
        body: JSON.stringify(body),
      },
      "registration",
    ),
  );
  if (!registered.success) throw new LtiServiceError("The LMS's registration answer has no client id.");
  const deploymentId = registered.data["https://purl.imsglobal.org/spec/lti-tool-configuration"]?.deployment_id;
  const family = config.data["https://purl.imsglobal.org/spec/lti-platform-configuration"]?.product_family_code;
  return registerPlatform(db, {
    name: family ? `${family} (${new URL(config.data.issuer).host})` : config.data.issuer,
    issuer: config.data.issuer,
    clientId: registered.data.client_id,
    authLoginUrl: config.data.authorization_endpoint,
    authTokenUrl: config.data.token_endpoint,
    jwksUrl: config.data.jwks_uri,
    courseId,
    deploymentIds: deploymentId ? [deploymentId] : [],
  });
}
