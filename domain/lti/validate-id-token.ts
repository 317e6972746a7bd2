import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { CLAIM, DEEP_LINKING_REQUEST, LTI_VERSION, RESOURCE_LINK_REQUEST, launchClaimsSchema, type LaunchClaims } from "./claims";
import { LtiRefusal } from "./errors";

/** Clock difference tolerated between the LMS and this server. */
export const CLOCK_SKEW_SECONDS = 60;
/** An id_token older than this is refused even if its `exp` is later: a launch is used within seconds. */
const MAX_TOKEN_AGE = "10m";
/** Asymmetric signatures only; `none` and the HMAC family (a shared secret LTI 1.3 does not have) are refused. */
const ACCEPTED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"];

export interface ExpectedLaunch {
  issuer: string;
  clientId: string;
  /** The nonce stored with the state this browser's login started. */
  nonce: string;
  keys: JWTVerifyGetKey;
  isDeploymentKnown: (deploymentId: string) => Promise<boolean>;
  now?: Date;
}

function refusalFor(err: unknown): LtiRefusal {
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (err instanceof errors.JWTExpired) return new LtiRefusal("expired", detail);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "iss") return new LtiRefusal("wrongIssuer", detail);
    if (err.claim === "aud") return new LtiRefusal("wrongAudience", detail);
    // jose: an iat "should be in the past", an nbf "not active yet" (an old iat is a JWTExpired above).
    if (err.claim === "iat" || err.claim === "nbf") return new LtiRefusal("notYetValid", detail);
    return new LtiRefusal("badClaims", detail);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return new LtiRefusal("unknownKey", detail);
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return new LtiRefusal("unsignedToken", detail);
  if (err instanceof errors.JWSSignatureVerificationFailed) return new LtiRefusal("badSignature", detail);
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return new LtiRefusal("unknownKey", `the platform's JWKS could not be read: ${detail}`);
  return new LtiRefusal("badSignature", detail);
}

/**
 * Verifies a launch's id_token: signature (against the platform's JWKS), issuer, audience,
 * authorised party, expiry and issue time (with CLOCK_SKEW_SECONDS), nonce, deployment, message
 * type and version. Returns the claims, or throws an LtiRefusal naming the first rule broken.
 * @see https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation
 * @see https://www.imsglobal.org/spec/lti/v1p3#required-message-claims
 */
export async function validateIdToken(idToken: string, expected: ExpectedLaunch): Promise<LaunchClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(idToken, expected.keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE,
      requiredClaims: ["exp", "iat", "nonce", "sub"],
      currentDate: expected.now,
    }));
  } catch (err) {
    throw refusalFor(err);
  }
  const parsed = launchClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new LtiRefusal("badClaims", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  const claims = parsed.data;
  // With several audiences the token must say which one it is for (OIDC Core 3.1.3.7, points 4-5).
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if ((audiences.length > 1 || claims.azp !== undefined) && claims.azp !== expected.clientId) {
    throw new LtiRefusal("wrongAudience", `azp ${claims.azp ?? "(missing)"} with audiences ${audiences.join(", ")}`);
  }
  if (claims.nonce !== expected.nonce) throw new LtiRefusal("wrongNonce");
  if (claims[CLAIM.version] !== LTI_VERSION) throw new LtiRefusal("unsupportedMessage", `version ${claims[CLAIM.version]}`);
  const type = claims[CLAIM.messageType];
  if (type !== RESOURCE_LINK_REQUEST && type !== DEEP_LINKING_REQUEST) throw new LtiRefusal("unsupportedMessage", `message type ${type}`);
  if (type === RESOURCE_LINK_REQUEST && !claims[CLAIM.resourceLink]) throw new LtiRefusal("badClaims", "resource link claim missing");
  if (type === DEEP_LINKING_REQUEST && !claims[CLAIM.deepLinkingSettings]) throw new LtiRefusal("badClaims", "deep linking settings missing");
  if (!(await expected.isDeploymentKnown(claims[CLAIM.deploymentId]))) {
    throw new LtiRefusal("unknownDeployment", `deployment ${claims[CLAIM.deploymentId]}`);
  }
  return claims;
}
