import { createRemoteJWKSet } from "jose";

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

/** How long a fetched JWKS is trusted before it is fetched again. */
const JWKS_CACHE_MS = 10 * 60_000;
/**
 * An id_token with a kid the cached set lacks makes jose fetch the set again (key rotation), but
 * not more often than this, so forged kids cannot make the tool hammer the platform.
 */
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_TIMEOUT_MS = 5_000;

const globalForKeys = globalThis as unknown as { tgLtiKeySets?: Map<string, RemoteKeySet> };

/**
 * The platform's published keys, from its JWKS URL, cached per URL for the process: jose's remote
 * key set keeps the keys, refetches after JWKS_CACHE_MS, and refetches at once (after the
 * cooldown) when a token names a key it does not have.
 */
export function platformKeySet(jwksUrl: string): RemoteKeySet {
  globalForKeys.tgLtiKeySets ??= new Map();
  let set = globalForKeys.tgLtiKeySets.get(jwksUrl);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUrl), {
      cacheMaxAge: JWKS_CACHE_MS,
      cooldownDuration: JWKS_COOLDOWN_MS,
      timeoutDuration: JWKS_TIMEOUT_MS,
    });
    globalForKeys.tgLtiKeySets.set(jwksUrl, set);
  }
  return set;
}
