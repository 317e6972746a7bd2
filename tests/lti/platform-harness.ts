/**
 * A test LMS: an LTI 1.3 platform with its own signing keys and JWKS endpoint, an OIDC
 * authorisation endpoint that answers the tool's login with a signed id_token (auto-posted, as an
 * LMS does), an OAuth 2 token endpoint that checks the tool's signed client assertion against the
 * tool's JWKS, and the AGS and NRPS services, recording every score it receives.
 *
 * Launches are set up ahead (`prepareLaunch`), then started by a browser or by `fetch`:
 * `/launch/:hint` is the LMS page that frames (or opens) the tool's login initiation.
 * `/admin/register-tool?url=<the tool's registration URL>` is the LMS administrator's page of LTI
 * Dynamic Registration: it frames the tool's URL with `openid_configuration` and
 * `registration_token`, and says so when the tool posts `org.imsglobal.lti.close`.
 */
import http from "node:http";
import net from "node:net";
import { randomUUID } from "node:crypto";
import { SignJWT, createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from "jose";

// Spelled out here on purpose, not imported from domain/lti/claims.ts: a typo in the tool's CLAIM constants then fails the tests.
export const LTI = {
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
  contentItems: "https://purl.imsglobal.org/spec/lti-dl/claim/content_items",
  dlData: "https://purl.imsglobal.org/spec/lti-dl/claim/data",
  ags: "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
  nrps: "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice",
} as const;

export const ROLE = {
  instructor: "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
  learner: "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
  ta: "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
};

export interface HarnessUser {
  sub: string;
  name: string;
  email?: string;
  roles: string[];
}

export interface LaunchSpec {
  user: HarnessUser;
  kind?: "resource" | "deep-link";
  resourceLinkId?: string;
  custom?: Record<string, string>;
  /** The line item of the resource link (AGS claim `lineitem`). */
  lineItemId?: string;
  /** Tamper with the token, for the negative tests. */
  tamper?: {
    aud?: string | string[];
    azp?: string;
    iss?: string;
    deploymentId?: string;
    expiresInSeconds?: number;
    issuedAgoSeconds?: number;
    nonce?: string;
    /** Sign with a key the JWKS does not publish. */
    unlistedKey?: boolean;
    /** An unsecured token (`alg: none`). */
    algNone?: boolean;
    version?: string;
    messageType?: string;
  };
}

export interface ReceivedScore {
  lineItemId: string;
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  timestamp: string;
  activityProgress: string;
  gradingProgress: string;
}

export interface LineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  resourceLinkId?: string;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function autoPostPage(action: string, fields: Record<string, string>, title: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
  return `<!doctype html><html><head><title>${esc(title)}</title></head><body><form id="f" method="post" action="${esc(action)}">${inputs}<button>Continue</button></form><script>document.getElementById("f").submit()</script></body></html>`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface PlatformHarness {
  /** The LMS's address. `localhost`, so that it is another site than a tool on 127.0.0.1. */
  url: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  contextId: string;
  registration: { issuer: string; clientId: string; deploymentId: string; authLoginUrl: string; authTokenUrl: string; jwksUrl: string };
  /** The tool's endpoints, set once it runs. */
  setTool(tool: { loginUrl: string; launchUrl: string; jwksUrl: string }): void;
  prepareLaunch(spec: LaunchSpec): string;
  /** The login initiation URL of a prepared launch (what the LMS page frames or opens). */
  loginInitiationUrl(hint: string): string;
  /** Signs an id_token for a launch directly (for tests that post it themselves). */
  signIdToken(spec: LaunchSpec, nonce: string): Promise<string>;
  rotateKey(): Promise<void>;
  scores: ReceivedScore[];
  lineItems: LineItem[];
  deepLinkResponses: { items: unknown[]; data?: string }[];
  tokenRequests: { scope: string; ok: boolean; error?: string }[];
  roster: HarnessUser[];
  /** The one-time token the platform hands the tool with a dynamic registration. */
  registrationToken: string;
  registrations: Record<string, unknown>[];
  /** Make the score endpoint fail the next `n` posts (retry tests). */
  failNextScores(n: number): void;
  close(): Promise<void>;
}

/** Starts the test LMS on a free port of localhost. */
export async function startPlatformHarness(opts: { roster?: HarnessUser[] } = {}): Promise<PlatformHarness> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const issuer = url;
  const clientId = `tensorgrade-${randomUUID().slice(0, 8)}`;
  const deploymentId = "deployment-1";
  const contextId = "course-cv-101";
  let keys: SigningKey[] = [await newKey()];
  const unlisted = await newKey();
  const launches = new Map<string, LaunchSpec>();
  const accessTokens = new Set<string>();
  let tool: { loginUrl: string; launchUrl: string; jwksUrl: string } | null = null;
  let toolKeys: ReturnType<typeof createRemoteJWKSet> | null = null;
  let failScores = 0;

  const h: PlatformHarness = {
    url,
    issuer,
    clientId,
    deploymentId,
    contextId,
    registration: { issuer, clientId, deploymentId, authLoginUrl: `${url}/auth`, authTokenUrl: `${url}/token`, jwksUrl: `${url}/jwks` },
    setTool(t) {
      tool = t;
      toolKeys = createRemoteJWKSet(new URL(t.jwksUrl), { cooldownDuration: 0 });
    },
    prepareLaunch(spec) {
      const hint = randomUUID();
      launches.set(hint, spec);
      return hint;
    },
    loginInitiationUrl(hint) {
      if (!tool) throw new Error("setTool first");
      const spec = launches.get(hint)!;
      const q = new URLSearchParams({
        iss: issuer,
        login_hint: spec.user.sub,
        target_link_uri: tool.launchUrl,
        lti_message_hint: hint,
        client_id: clientId,
        lti_deployment_id: deploymentId,
      });
      return `${tool.loginUrl}?${q}`;
    },
    async signIdToken(spec, nonce) {
      const t = spec.tamper ?? {};
      const now = Math.floor(Date.now() / 1000);
      const iat = now - (t.issuedAgoSeconds ?? 0);
      const claims: Record<string, unknown> = {
        nonce: t.nonce ?? nonce,
        name: spec.user.name,
        ...(spec.user.email ? { email: spec.user.email } : {}),
        [LTI.messageType]: t.messageType ?? (spec.kind === "deep-link" ? "LtiDeepLinkingRequest" : "LtiResourceLinkRequest"),
        [LTI.version]: t.version ?? "1.3.0",
        [LTI.deploymentId]: t.deploymentId ?? deploymentId,
        [LTI.targetLinkUri]: tool?.launchUrl ?? "http://tool.invalid/",
        [LTI.roles]: spec.user.roles,
        [LTI.context]: { id: contextId, label: "CV101", title: "Computer Vision 101" },
        [LTI.launchPresentation]: { document_target: "iframe", return_url: `${url}/return` },
        [LTI.nrps]: { context_memberships_url: `${url}/memberships/${contextId}`, service_versions: ["2.0"] },
        [LTI.ags]: {
          scope: [
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
          ],
          lineitems: `${url}/lineitems`,
          ...(spec.lineItemId ? { lineitem: `${url}/lineitems/${spec.lineItemId}` } : {}),
        },
      };
      if (t.azp !== undefined) claims.azp = t.azp;
      if (spec.kind === "deep-link") {
        claims[LTI.deepLinkingSettings] = {
          deep_link_return_url: `${url}/deep-link-return`,
          accept_types: ["ltiResourceLink"],
          accept_presentation_document_targets: ["iframe", "window"],
          accept_multiple: false,
          data: "harness-opaque-data",
        };
      } else {
        claims[LTI.resourceLink] = { id: spec.resourceLinkId ?? "link-1", title: "Tensorgrade" };
        if (spec.custom) claims[LTI.custom] = spec.custom;
      }
      const exp = iat + (t.expiresInSeconds ?? 300);
      if (t.algNone) {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
        return `${enc({ alg: "none", typ: "JWT" })}.${enc({ ...claims, iss: t.iss ?? issuer, aud: t.aud ?? clientId, sub: spec.user.sub, iat, exp })}.`;
      }
      const key = t.unlistedKey ? unlisted : keys[0];
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
        .setIssuer(t.iss ?? issuer)
        .setAudience(t.aud ?? clientId)
        .setSubject(spec.user.sub)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key.privateKey);
    },
    async rotateKey() {
      keys = [await newKey(), ...keys.slice(0, 1)];
    },
    scores: [],
    lineItems: [],
    deepLinkResponses: [],
    tokenRequests: [],
    roster: opts.roster ?? [],
    registrationToken: randomUUID(),
    registrations: [],
    failNextScores(n) {
      failScores = n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const bearerOk = (req: http.IncomingMessage) => accessTokens.has((req.headers.authorization ?? "").replace(/^Bearer /, ""));

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", url);
    const send = (status: number, body: string, type = "text/html; charset=utf-8") => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    const json = (status: number, body: unknown, type = "application/json") => send(status, JSON.stringify(body), type);

    if (u.pathname === "/jwks") return json(200, { keys: keys.map((k) => k.publicJwk) });

    // LTI Dynamic Registration: the platform's OpenID configuration and its registration endpoint.
    if (u.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer,
        authorization_endpoint: `${url}/auth`,
        token_endpoint: `${url}/token`,
        jwks_uri: `${url}/jwks`,
        registration_endpoint: `${url}/register`,
        "https://purl.imsglobal.org/spec/lti-platform-configuration": { product_family_code: "harness", version: "1" },
      });
    }
    if (u.pathname === "/register" && req.method === "POST") {
      if (req.headers.authorization !== `Bearer ${h.registrationToken}`) return json(401, { error: "registration token" });
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      h.registrations.push(body);
      return json(200, { ...body, client_id: clientId, "https://purl.imsglobal.org/spec/lti-tool-configuration": { deployment_id: deploymentId } });
    }

    // Dynamic registration, as an LMS administrator starts it: the tool's registration page in a frame.
    if (u.pathname === "/admin/register-tool") {
      const toolUrl = new URL(u.searchParams.get("url") ?? "");
      toolUrl.searchParams.set("openid_configuration", `${url}/.well-known/openid-configuration`);
      toolUrl.searchParams.set("registration_token", h.registrationToken);
      const listen = `addEventListener("message", (e) => { if (e.data && e.data.subject === "org.imsglobal.lti.close") { document.getElementById("status").textContent = "The tool closed its registration from " + e.origin; document.querySelector("iframe").remove(); } });`;
      return send(
        200,
        `<!doctype html><html><head><title>Harness LMS: register a tool</title></head><body><h1>Register an LTI Advantage tool</h1><p id="status" role="status">Registering…</p><iframe name="registration" title="Tool registration" src="${esc(toolUrl.toString())}" style="width:900px;height:400px"></iframe><script>${listen}</script></body></html>`,
      );
    }

    // The LMS page with the tool in an iframe (or, with ?window=1, a link that opens it in a new window).
    const page = u.pathname.match(/^\/launch\/([\w-]+)$/);
    if (page) {
      const login = h.loginInitiationUrl(page[1]);
      if (u.searchParams.get("top") === "1") {
        res.writeHead(302, { location: login });
        return void res.end();
      }
      return send(200, `<!doctype html><html><head><title>Harness LMS</title></head><body><h1>Computer Vision 101</h1><iframe name="tool" title="Tensorgrade" src="${esc(login)}" style="width:900px;height:600px" allow="clipboard-write"></iframe></body></html>`);
    }

    // OIDC authorisation endpoint: answers with the id_token as an auto-posted form.
    if (u.pathname === "/auth") {
      const q = Object.fromEntries(u.searchParams);
      const spec = launches.get(q.lti_message_hint ?? "");
      if (!spec || q.client_id !== clientId || q.redirect_uri !== tool?.launchUrl || q.response_mode !== "form_post" || q.scope !== "openid") {
        return send(400, `<p>Harness refused the authentication request: ${esc(JSON.stringify(q))}</p>`);
      }
      if (q.login_hint !== spec.user.sub) return send(400, "<p>login_hint does not match</p>");
      const idToken = await h.signIdToken(spec, q.nonce);
      return send(200, autoPostPage(q.redirect_uri, { id_token: idToken, state: q.state }, "Launching"));
    }

    // OAuth 2 client-credentials grant with a JWT client assertion (LTI Advantage security).
    if (u.pathname === "/token" && req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      const scope = form.get("scope") ?? "";
      try {
        if (form.get("grant_type") !== "client_credentials") throw new Error("grant_type");
        if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") throw new Error("assertion type");
        if (!toolKeys) throw new Error("no tool");
        await jwtVerify(form.get("client_assertion") ?? "", toolKeys, { issuer: clientId, subject: clientId, audience: `${url}/token` });
        const token = randomUUID();
        accessTokens.add(token);
        h.tokenRequests.push({ scope, ok: true });
        return json(200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope });
      } catch (e) {
        h.tokenRequests.push({ scope, ok: false, error: (e as Error).message });
        return json(401, { error: "invalid_client" });
      }
    }

    if (u.pathname === "/lineitems" && req.method === "GET") {
      if (!bearerOk(req)) return json(401, { error: "unauthorised" });
      return json(200, h.lineItems.map((li) => ({ ...li, id: `${url}/lineitems/${li.id}` })), "application/vnd.ims.lis.v2.lineitemcontainer+json");
    }
    const scores = u.pathname.match(/^\/lineitems\/([\w-]+)\/scores$/);
    if (scores && req.method === "POST") {
      if (!bearerOk(req)) return json(401, { error: "unauthorised" });
      if (req.headers["content-type"] !== "application/vnd.ims.lis.v1.score+json") return json(415, { error: "score content type" });
      if (failScores > 0) {
        failScores--;
        return json(503, { error: "try later" });
      }
      const body = JSON.parse(await readBody(req)) as Omit<ReceivedScore, "lineItemId">;
      h.scores.push({ ...body, lineItemId: scores[1] });
      res.writeHead(204);
      return void res.end();
    }

    const members = u.pathname.match(/^\/memberships\/([\w-]+)$/);
    if (members) {
      if (!bearerOk(req)) return json(401, { error: "unauthorised" });
      return json(
        200,
        {
          id: u.toString(),
          context: { id: members[1], label: "CV101", title: "Computer Vision 101" },
          members: h.roster.map((m) => ({ status: "Active", name: m.name, email: m.email, user_id: m.sub, roles: m.roles })),
        },
        "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
      );
    }

    // Where the tool posts its deep-linking response; the LMS makes a line item for each gradable link.
    if (u.pathname === "/deep-link-return" && req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      try {
        if (!toolKeys) throw new Error("no tool");
        const { payload } = await jwtVerify(form.get("JWT") ?? "", toolKeys, { issuer: clientId, audience: issuer });
        if (payload[LTI.messageType] !== "LtiDeepLinkingResponse") throw new Error("message type");
        if (payload[LTI.deploymentId] !== deploymentId) throw new Error("deployment");
        const items = (payload[LTI.contentItems] as { type: string; title?: string; custom?: Record<string, string>; lineItem?: { scoreMaximum: number; label?: string; resourceId?: string } }[]) ?? [];
        h.deepLinkResponses.push({ items, data: payload[LTI.dlData] as string | undefined });
        const created: string[] = [];
        for (const item of items) {
          if (item.lineItem) {
            const id = `li-${h.lineItems.length + 1}`;
            h.lineItems.push({ id, label: item.lineItem.label ?? item.title ?? id, scoreMaximum: item.lineItem.scoreMaximum, resourceId: item.lineItem.resourceId });
            created.push(id);
          }
        }
        return send(200, `<!doctype html><html><head><title>Content added</title></head><body><h1>Content added</h1><ul>${items.map((i) => `<li>${esc(i.title ?? i.type)}</li>`).join("")}</ul><p id="line-items">${created.join(",")}</p></body></html>`);
      } catch (e) {
        return send(400, `<p>Deep linking response refused: ${esc((e as Error).message)}</p>`);
      }
    }

    send(404, "<p>Not found in the harness LMS</p>");
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  // Every interface: `localhost` may resolve to ::1 or to 127.0.0.1.
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return h;
}
