/** Credentials as a test signs in with. */
export interface Account {
  email: string;
  password: string;
}

/**
 * Tries to sign in over plain HTTP, as a script would (csrf token, then next-auth's credentials
 * callback), and returns the answer as seen by the client — whether or not it succeeded.
 */
export async function trySignInOverHttp(
  base: string,
  account: Account,
): Promise<{ status: number; location: string | null; cookie: string }> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, json: "true" }),
  });
  const cookie = [csrfCookie, ...res.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  return { status: res.status, location: body.url ?? res.headers.get("location"), cookie };
}

/** Signs in over HTTP and returns the cookie header for API calls; throws when sign-in fails. */
export async function sessionCookie(base: string, account: Account): Promise<string> {
  const res = await trySignInOverHttp(base, account);
  if (!res.cookie.includes("session-token")) throw new Error(`sign-in as ${account.email} failed (${res.status})`);
  return res.cookie;
}
