import type { Db } from "@/db";
import { consumeLoginState, findLoginState } from "@/db/queries/lti/login-states";
import { getPlatform, isDeploymentRegistered } from "@/db/queries/lti/platforms";
import { provisionLtiUser } from "@/db/queries/lti/provision-launch-user";
import { upsertContext, upsertResourceLink } from "@/db/queries/lti/contexts";
import { findCourseById } from "@/db/queries/courses/course-access";
import { CLAIM, DEEP_LINKING_REQUEST, launchFormSchema, type LaunchClaims } from "./claims";
import { LtiRefusal } from "./errors";
import { platformKeySet } from "./platform-keys";
import { tensorgradeRole } from "./roles";
import { parseTarget, targetPath, TARGET_CUSTOM_PARAM } from "./targets";
import { issueTicket } from "./tickets";
import { validateIdToken } from "./validate-id-token";
import type { JWTVerifyGetKey } from "jose";

/** What a deep-linking ticket carries to the content picker and the response. */
export interface DeepLinkTicketData {
  platformId: string;
  deploymentId: string;
  contextRowId: string;
  returnUrl: string;
  data?: string;
  acceptMultiple: boolean;
}

/** What a session ticket carries: the origins of the LMS page the launch came from, which may frame Tensorgrade. */
export interface SessionTicketData {
  frameOrigins: string[];
}

/**
 * The origins an LMS frames the tool from: its issuer's and login endpoint's (when they are URLs)
 * and the launch's return URL's — Canvas's course pages live on the school's own domain, which is
 * neither its issuer nor its login endpoint.
 */
function frameOriginsOf(platform: { issuer: string; authLoginUrl: string }, claims: LaunchClaims): string[] {
  const origins = new Set<string>();
  for (const u of [platform.issuer, platform.authLoginUrl, claims[CLAIM.launchPresentation]?.return_url]) {
    if (!u) continue;
    try {
      const { origin, protocol } = new URL(u);
      if (protocol === "https:" || protocol === "http:") origins.add(origin);
    } catch {
      // An issuer need not be a URL.
    }
  }
  return [...origins];
}

export type LaunchOutcome =
  | { kind: "session"; ticket: string; target: string }
  | { kind: "deep-link"; ticket: string };

/** A launch whose state cookie is missing, though the state is real: the frame blocked cookies. */
export class LtiCookieBlocked extends LtiRefusal {
  constructor(readonly loginParams: Record<string, string>) {
    super("badState", "state cookie missing for a known state (third-party cookies blocked?)");
  }
}

function displayName(c: LaunchClaims): string {
  const full = c.name?.trim() || [c.given_name, c.family_name].filter(Boolean).join(" ").trim();
  return full || "LMS user";
}

/**
 * Validates an LTI launch (the authentication response posted by the platform) and, only when
 * every check passed, signs up or links the user by (issuer, sub), enrols them in the course the
 * platform is registered for with their LMS role, and records the context and resource link.
 * Returns a single-use ticket for the next step; nothing is signed in here.
 * @param form the posted fields (id_token, state)
 * @param stateInBrowser whether this browser holds the cookie set at login initiation for `state`
 */
export async function completeLaunch(
  db: Db,
  form: Record<string, string>,
  stateInBrowser: (state: string) => boolean,
  opts: { now?: Date; keys?: (jwksUrl: string) => JWTVerifyGetKey } = {},
): Promise<LaunchOutcome> {
  const now = opts.now ?? new Date();
  const parsed = launchFormSchema.safeParse(form);
  if (!parsed.success) throw new LtiRefusal("missingParameters", "id_token or state missing");
  const { id_token: idToken, state } = parsed.data;

  const row = await findLoginState(db, state);
  if (!row) throw new LtiRefusal("badState", "unknown state");
  if (row.usedAt) throw new LtiRefusal("replayed", `state used at ${row.usedAt.toISOString()}`);
  if (row.expiresAt <= now) throw new LtiRefusal("badState", "state expired");
  if (!stateInBrowser(state)) throw new LtiCookieBlocked(row.loginParams as Record<string, string>);
  const platform = await getPlatform(db, row.platformId);
  if (!platform) throw new LtiRefusal("unknownPlatform", "platform removed since the login started");

  const claims = await validateIdToken(idToken, {
    issuer: platform.issuer,
    clientId: platform.clientId,
    nonce: row.nonce,
    keys: (opts.keys ?? platformKeySet)(platform.jwksUrl),
    isDeploymentKnown: (d) => isDeploymentRegistered(db, platform.id, d),
    now,
  });
  // Only now, with the token proven, is the state spent; a second use of it is a replay.
  if (!(await consumeLoginState(db, state, now))) throw new LtiRefusal("replayed", "state consumed concurrently");

  const role = tensorgradeRole(claims[CLAIM.roles]);
  const isDeepLinking = claims[CLAIM.messageType] === DEEP_LINKING_REQUEST;
  if (isDeepLinking && role !== "instructor") throw new LtiRefusal("notInstructor");

  const { userId } = await provisionLtiUser(db, {
    issuer: platform.issuer,
    sub: claims.sub,
    name: displayName(claims),
    email: claims.email,
    role,
    courseId: platform.courseId,
  });
  const ags = claims[CLAIM.ags];
  const context = await upsertContext(db, {
    platformId: platform.id,
    deploymentId: claims[CLAIM.deploymentId],
    contextId: claims[CLAIM.context].id,
    title: claims[CLAIM.context].title ?? claims[CLAIM.context].label ?? claims[CLAIM.context].id,
    courseId: platform.courseId,
    membershipsUrl: claims[CLAIM.nrps]?.context_memberships_url,
    lineItemsUrl: ags?.lineitems,
    agsScopes: ags?.scope,
  });

  if (isDeepLinking) {
    const settings = claims[CLAIM.deepLinkingSettings]!;
    const data: DeepLinkTicketData = {
      platformId: platform.id,
      deploymentId: claims[CLAIM.deploymentId],
      contextRowId: context.id,
      returnUrl: settings.deep_link_return_url,
      data: settings.data,
      acceptMultiple: settings.accept_multiple ?? false,
    };
    return { kind: "deep-link", ticket: await issueTicket(db, { userId, purpose: "deep-link", target: "/", data }, now) };
  }

  const target = parseTarget(claims[CLAIM.custom]?.[TARGET_CUSTOM_PARAM]);
  const link = claims[CLAIM.resourceLink]!;
  if (target) {
    await upsertResourceLink(db, {
      contextRowId: context.id,
      resourceLinkId: link.id,
      targetKind: target.kind,
      targetNumber: target.number,
      lineItemUrl: ags?.lineitem,
    });
  }
  const course = await findCourseById(db, platform.courseId);
  const path = targetPath(target, course.slug);
  const data: SessionTicketData = { frameOrigins: frameOriginsOf(platform, claims) };
  return { kind: "session", ticket: await issueTicket(db, { userId, purpose: "session", target: path, data }, now), target: path };
}
