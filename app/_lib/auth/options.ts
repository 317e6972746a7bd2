import type { AuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { z } from "zod";
import { env } from "@/env";
import { getDb, type Db } from "@/db";
import { verifyCredentials, type CredentialsResult } from "@/domain/auth/verify-credentials";
import { linkOAuthAccount } from "@/db/queries/users/link-oauth-account";
import { authSecret } from "./secret";
import { requestClientKey } from "./client-address";
import { SIGN_IN_ERROR, throttledErrorCode } from "./sign-in-errors";
import { browserOrigin, sameSiteRedirect } from "./redirect";

const credentialsSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1024),
});

/**
 * Password sign-in. next-auth puts the message of anything thrown here into the redirect URL, so
 * only fixed codes are thrown (app/_lib/auth/sign-in-errors.ts); returning null is its own
 * `CredentialsSignin`. `db` is the process's database unless a test passes one that has failed.
 */
export async function authorizeWithPassword(
  credentials: Record<string, string> | undefined,
  headers: Record<string, string | string[] | undefined> | undefined,
  db: () => Promise<Db> = getDb,
) {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return null;
  let result: CredentialsResult;
  try {
    result = await verifyCredentials(await db(), parsed.data.email, parsed.data.password, requestClientKey(headers));
  } catch (err) {
    // A failed query's message holds its SQL and parameters (the email): the log gets it, the URL must not.
    console.error("[auth] password sign-in could not be checked:", err);
    throw new Error(SIGN_IN_ERROR.unavailable);
  }
  if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
  if (result.reason === "throttled") throw new Error(throttledErrorCode(result.retryAfterSeconds));
  return null;
}

function providers(): Provider[] {
  const list: Provider[] = [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: (credentials, req) => authorizeWithPassword(credentials, req?.headers),
    }),
  ];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    list.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    list.push({
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email: string; name?: string }) {
        return { id: profile.sub, email: profile.email, name: profile.name ?? profile.email };
      },
    });
  }
  return list;
}

/**
 * next-auth configuration. Sessions are JWTs holding only the user id; role is read from the DB per
 * request. `request` is the one next-auth's route is answering: its redirects stay on the host the
 * browser used (./redirect.ts).
 */
export function authOptions(request?: Request): AuthOptions {
  const origin = request ? browserOrigin(request) : null;
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
    // Secure (and __Secure-/__Host- prefixed) cookies whenever the public URL is https, said here
    // rather than left to next-auth's inference, so the rule is visible and tested.
    useSecureCookies: env.NEXTAUTH_URL?.startsWith("https://") ?? false,
    pages: { signIn: "/signin", error: "/signin" },
    // next-auth's own failures (an OAuth callback that threw, a bad state cookie) reach the browser
    // as fixed codes; their details are logged here, with the subsystem prefix.
    logger: {
      error: (code, metadata) => console.error(`[auth] ${code}`, metadata),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => {},
    },
    providers: providers(),
    callbacks: {
      // On the host the browser opened, not always NEXTAUTH_URL's (./redirect.ts).
      async redirect(params) {
        return sameSiteRedirect(params, origin);
      },
      async signIn({ user, account }) {
        if (!account || account.type === "credentials") return true;
        if (!user.email) return `/signin?error=${SIGN_IN_ERROR.oauthNoEmail}`;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account && account.type !== "credentials") {
          const row = await linkOAuthAccount(await getDb(), {
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            email: user.email ?? "",
            name: user.name ?? "",
          });
          token.sub = row.id;
        } else if (user) {
          token.sub = user.id;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
}
