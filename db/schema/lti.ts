import { index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, ownedBy, timeNow } from "./columns";
import { courses } from "./courses";
import { users } from "./users";

/**
 * An LMS registered as an LTI 1.3 platform: one (issuer, client id) pair, the endpoints the tool
 * calls on it, and the Tensorgrade course its contexts are enrolled into.
 * @see https://www.imsglobal.org/spec/lti/v1p3#tool-deployment
 */
export const ltiPlatforms = pgTable(
  "lti_platforms",
  {
    id: idColumn(),
    name: text("name").notNull(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    /** The platform's OIDC authorisation endpoint, where the login initiation redirects. */
    authLoginUrl: text("auth_login_url").notNull(),
    /** OAuth 2 token endpoint for the LTI Advantage services (AGS, NRPS). */
    authTokenUrl: text("auth_token_url").notNull(),
    /** The platform's public keys; id_tokens are verified against it (cached, refetched on an unknown kid). */
    jwksUrl: text("jwks_url").notNull(),
    courseId: ownedBy("course_id", () => courses.id),
    createdAt: timeNow("created_at"),
  },
  (t) => [uniqueIndex("lti_platforms_issuer_client_idx").on(t.issuer, t.clientId)],
);

/** The deployment ids of a platform that may launch the tool; any other is refused. */
export const ltiDeployments = pgTable(
  "lti_deployments",
  {
    platformId: ownedBy("platform_id", () => ltiPlatforms.id),
    deploymentId: text("deployment_id").notNull(),
    createdAt: timeNow("created_at"),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.deploymentId] })],
);

/**
 * The tool's own RSA signing keys (deep-linking responses, service-token client assertions). The
 * newest unretired one signs; retired ones stay published in the JWKS for a while so tokens signed
 * just before a rotation still verify.
 */
export const ltiToolKeys = pgTable("lti_tool_keys", {
  kid: text("kid").primaryKey(),
  privateJwk: jsonb("private_jwk").notNull(),
  publicJwk: jsonb("public_jwk").notNull(),
  createdAt: timeNow("created_at"),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
});

/**
 * One OIDC login initiation: the state (also in a cookie of the browser that started it) and the
 * nonce the id_token must carry. A launch consumes it with a guarded update, so a replayed
 * id_token or state is refused.
 */
export const ltiLoginStates = pgTable(
  "lti_login_states",
  {
    state: text("state").primaryKey(),
    nonce: text("nonce").notNull(),
    platformId: ownedBy("platform_id", () => ltiPlatforms.id),
    /** The login initiation's parameters, to restart it in a new window when the frame has no cookies. */
    loginParams: jsonb("login_params").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("lti_login_states_expires_idx").on(t.expiresAt)],
);

/**
 * Short-lived, single-use tickets handed from a validated launch to the page that signs the browser
 * in (or to the deep-linking form). Only the SHA-256 of the ticket is stored.
 */
export const ltiLaunchTickets = pgTable("lti_launch_tickets", {
  tokenHash: text("token_hash").primaryKey(),
  userId: ownedBy("user_id", () => users.id),
  /** What the ticket is for: `session` (sign in, then go to `target`) or `deep-link` (pick content). */
  purpose: text("purpose").notNull(),
  target: text("target").notNull(),
  /** For deep linking: the platform, deployment and settings the response must echo. */
  data: jsonb("data"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

/** An LMS course (LTI context) and what the tool knows of its services. */
export const ltiContexts = pgTable(
  "lti_contexts",
  {
    id: idColumn(),
    platformId: ownedBy("platform_id", () => ltiPlatforms.id),
    deploymentId: text("deployment_id").notNull(),
    contextId: text("context_id").notNull(),
    title: text("title").notNull(),
    courseId: ownedBy("course_id", () => courses.id),
    /** NRPS `context_memberships_url`, when the platform offers the roster service. */
    membershipsUrl: text("memberships_url"),
    /** AGS `lineitems` URL and granted scopes, when the platform offers grade passback. */
    lineItemsUrl: text("line_items_url"),
    agsScopes: jsonb("ags_scopes").$type<string[]>(),
    rosterSyncedAt: timestamp("roster_synced_at", { withTimezone: true }),
    updatedAt: timeNow("updated_at"),
  },
  (t) => [uniqueIndex("lti_contexts_platform_context_idx").on(t.platformId, t.contextId)],
);

/**
 * A placement of Tensorgrade content in the LMS: what a resource link opens, and the AGS line item
 * its scores go to (gradable items only).
 */
export const ltiResourceLinks = pgTable(
  "lti_resource_links",
  {
    id: idColumn(),
    contextRowId: ownedBy("context_row_id", () => ltiContexts.id),
    resourceLinkId: text("resource_link_id").notNull(),
    /** `lesson`, `quiz` or `assignment` plus its number, as deep linking chose it. */
    targetKind: text("target_kind").notNull(),
    targetNumber: integer("target_number").notNull(),
    lineItemUrl: text("line_item_url"),
    updatedAt: timeNow("updated_at"),
  },
  (t) => [uniqueIndex("lti_resource_links_context_link_idx").on(t.contextRowId, t.resourceLinkId)],
);

/**
 * Every score sent (or to be sent) to an LMS line item: one row per score change, keyed by the
 * moment the score changed so a repeated detection or a retried job sends it once.
 */
export const ltiScoreSends = pgTable(
  "lti_score_sends",
  {
    id: idColumn(),
    resourceLinkRowId: ownedBy("resource_link_row_id", () => ltiResourceLinks.id),
    userId: ownedBy("user_id", () => users.id),
    /** The platform's `sub` of the student, the AGS `userId`. */
    ltiSub: text("lti_sub").notNull(),
    scoreGiven: real("score_given").notNull(),
    scoreMaximum: real("score_maximum").notNull(),
    /** When the score took this value; AGS orders scores by it, and it makes the send idempotent. */
    scoreTimestamp: timestamp("score_timestamp", { withTimezone: true, precision: 3 }).notNull(),
    /** queued | sending | sent | failed */
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timeNow("next_attempt_at"),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timeNow("created_at"),
  },
  (t) => [
    uniqueIndex("lti_score_sends_link_user_time_idx").on(t.resourceLinkRowId, t.userId, t.scoreTimestamp),
    index("lti_score_sends_status_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** The LMS roster of a context as NRPS last reported it (members who never launched included). */
export const ltiMembers = pgTable(
  "lti_members",
  {
    contextRowId: ownedBy("context_row_id", () => ltiContexts.id),
    sub: text("sub").notNull(),
    userId: ownedBy("user_id", () => users.id),
    roles: jsonb("roles").$type<string[]>().notNull(),
    status: text("status").notNull(),
    syncedAt: timeNow("synced_at"),
  },
  (t) => [primaryKey({ columns: [t.contextRowId, t.sub] })],
);
