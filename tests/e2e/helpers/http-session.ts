import http from "node:http";

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

/** Where a request comes from: the local address of its socket, and headers it adds (X-Forwarded-For, …). */
export interface ClientOrigin {
  /** e.g. "127.0.0.2": any 127.x.y.z works on Linux, so one test can be several clients. */
  localAddress?: string;
  headers?: Record<string, string>;
}

function httpRequest(
  url: string,
  opts: { method: string; headers: Record<string, string>; body?: string; from: ClientOrigin },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method, headers: { ...opts.from.headers, ...opts.headers }, localAddress: opts.from.localAddress, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/**
 * trySignInOverHttp from a chosen client: its own socket address and extra headers (Node's fetch
 * cannot bind a local address). Also returns the raw body of the sign-in answer.
 */
export async function trySignInFrom(
  base: string,
  account: Account,
  from: ClientOrigin,
): Promise<{ status: number; location: string | null; cookie: string; body: string }> {
  const csrfRes = await httpRequest(`${base}/api/auth/csrf`, { method: "GET", headers: {}, from });
  const { csrfToken } = JSON.parse(csrfRes.body) as { csrfToken: string };
  const csrfCookie = (csrfRes.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  const res = await httpRequest(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: new URL(base).origin },
    body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, json: "true" }).toString(),
    from,
  });
  const cookie = [csrfCookie, ...(res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0])].join("; ");
  let url: string | undefined;
  try {
    url = (JSON.parse(res.body) as { url?: string }).url;
  } catch {
    url = undefined;
  }
  return { status: res.status, location: url ?? res.headers.location ?? null, cookie, body: res.body };
}

/**
 * POSTs `fields` as a multipart form to `path` with a session's cookie, from the site's own origin as its pages do
 * (a state-changing request without the site's Origin is refused as cross-site).
 */
export function postForm(base: string, path: string, cookie: string, fields: Record<string, string | File>): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(`${base}${path}`, { method: "POST", headers: { origin: base, cookie }, body: form });
}
