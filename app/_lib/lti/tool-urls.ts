import { env } from "@/env";

/**
 * The tool's public address: NEXTAUTH_URL (the site's configured URL) when set, else the origin
 * the request came in on. The redirect URI sent to the platform must match the registered one
 * exactly, so production sets NEXTAUTH_URL.
 */
export function toolBaseUrl(req?: Request): string {
  if (env.NEXTAUTH_URL) return env.NEXTAUTH_URL.replace(/\/$/, "");
  if (req) return new URL(req.url).origin;
  return `http://localhost:${env.PORT}`;
}

export function toolUrls(base: string) {
  return {
    login: `${base}/api/lti/login`,
    launch: `${base}/api/lti/launch`,
    jwks: `${base}/api/lti/jwks`,
    deepLink: `${base}/api/lti/launch`,
    register: `${base}/api/lti/register`,
  };
}
