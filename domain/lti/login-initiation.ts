import { randomBytes } from "node:crypto";
import type { Db } from "@/db";
import { createLoginState } from "@/db/queries/lti/login-states";
import { findPlatforms, isDeploymentRegistered } from "@/db/queries/lti/platforms";
import { loginInitiationSchema } from "./claims";
import { LtiRefusal } from "./errors";

/** How long the LMS has to answer the authentication request with an id_token. */
const STATE_TTL_MS = 10 * 60_000;

export interface LoginRedirect {
  /** The platform's authorisation endpoint with the authentication request. */
  redirectUrl: string;
  /** Goes into a cookie of this browser: the launch must come back with it. */
  state: string;
}

/**
 * Answers a third-party-initiated login: finds the registered platform, stores a fresh state and
 * nonce, and builds the OIDC authentication request the browser is sent to.
 * @param launchUrl the tool's redirect_uri (where the platform posts the id_token)
 * @see https://www.imsglobal.org/spec/security/v1p0/#step-2-authentication-request
 */
export async function initiateLogin(db: Db, params: Record<string, string>, launchUrl: string, now = new Date()): Promise<LoginRedirect> {
  const parsed = loginInitiationSchema.safeParse(params);
  if (!parsed.success) throw new LtiRefusal("missingParameters", parsed.error.issues.map((i) => i.path.join(".")).join(", "));
  const login = parsed.data;
  const platforms = await findPlatforms(db, login.iss, login.client_id);
  if (platforms.length !== 1) {
    throw new LtiRefusal("unknownPlatform", `${platforms.length} platforms for ${login.iss} / ${login.client_id ?? "(no client id)"}`);
  }
  const [platform] = platforms;
  if (login.lti_deployment_id && !(await isDeploymentRegistered(db, platform.id, login.lti_deployment_id))) {
    throw new LtiRefusal("unknownDeployment", `deployment ${login.lti_deployment_id}`);
  }
  const state = randomBytes(24).toString("base64url");
  const nonce = randomBytes(24).toString("base64url");
  const loginParams = Object.fromEntries(Object.entries(login).filter((e): e is [string, string] => typeof e[1] === "string"));
  await createLoginState(db, { state, nonce, platformId: platform.id, loginParams, expiresAt: new Date(now.getTime() + STATE_TTL_MS) });
  const url = new URL(platform.authLoginUrl);
  const query: Record<string, string> = {
    scope: "openid",
    response_type: "id_token",
    response_mode: "form_post",
    prompt: "none",
    client_id: platform.clientId,
    redirect_uri: launchUrl,
    login_hint: login.login_hint,
    state,
    nonce,
  };
  if (login.lti_message_hint) query.lti_message_hint = login.lti_message_hint;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return { redirectUrl: url.toString(), state };
}
