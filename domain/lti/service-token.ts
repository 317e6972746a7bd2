import { SignJWT } from "jose";
import { z } from "zod";
import type { Db } from "@/db";
import type { LtiPlatform } from "@/db/queries/lti/platforms";
import { signingKey, TOOL_KEY_ALG } from "./tool-keys";

export const SCOPE = {
  lineItem: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
  score: "https://purl.imsglobal.org/spec/lti-ags/scope/score",
  roster: "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
} as const;

/** A service call that waits longer than this is treated as failed (and retried, for scores). */
export const SERVICE_TIMEOUT_MS = 10_000;
/** A cached token is renewed this long before the platform says it expires. */
const TOKEN_RENEW_EARLY_S = 60;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** A service call the platform refused or did not answer; the message says which and why. */
export class LtiServiceError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "LtiServiceError";
  }
}

const globalForTokens = globalThis as unknown as { tgLtiTokens?: Map<string, { token: string; expiresAt: number }> };

/** Drops the cached tokens of a platform (it answered 401: revoked or expired early). */
export function forgetServiceTokens(platformId: string): void {
  for (const key of globalForTokens.tgLtiTokens?.keys() ?? []) if (key.startsWith(`${platformId} `)) globalForTokens.tgLtiTokens!.delete(key);
}

/**
 * An OAuth 2 access token for the platform's services, by the client-credentials grant with a
 * JWT client assertion signed by the tool's key; cached per platform and scope until shortly
 * before it expires.
 * @see https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant
 */
export async function serviceToken(db: Db, platform: LtiPlatform, scopes: string[]): Promise<string> {
  const scope = [...scopes].sort().join(" ");
  const cacheKey = `${platform.id} ${scope}`;
  globalForTokens.tgLtiTokens ??= new Map();
  const cached = globalForTokens.tgLtiTokens.get(cacheKey);
  if (cached && cached.expiresAt > Date.now()) return cached.token;

  const { kid, key } = await signingKey(db);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: TOOL_KEY_ALG, kid, typ: "JWT" })
    .setIssuer(platform.clientId)
    .setSubject(platform.clientId)
    .setAudience(platform.authTokenUrl)
    .setIssuedAt()
    .setExpirationTime("5m")
    .setJti(crypto.randomUUID())
    .sign(key);
  let res: Response;
  try {
    res = await fetch(platform.authTokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
        scope,
      }),
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
  } catch (err) {
    throw new LtiServiceError(`The LMS's token endpoint could not be reached: ${(err as Error).message}`);
  }
  if (!res.ok) throw new LtiServiceError(`The LMS refused a service token (HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`, res.status);
  const parsed = tokenResponseSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new LtiServiceError("The LMS's token response has no access_token.");
  const lifetime = parsed.data.expires_in ?? 3600;
  globalForTokens.tgLtiTokens.set(cacheKey, { token: parsed.data.access_token, expiresAt: Date.now() + Math.max(0, lifetime - TOKEN_RENEW_EARLY_S) * 1000 });
  return parsed.data.access_token;
}
