import { SignJWT } from "jose";
import type { Db } from "@/db";
import { getPlatform } from "@/db/queries/lti/platforms";
import { deepLinkChoices } from "@/db/queries/lti/deep-link-choices";
import { CLAIM, DEEP_LINKING_RESPONSE, LTI_VERSION } from "./claims";
import type { DeepLinkTicketData } from "./complete-launch";
import { LtiRefusal } from "./errors";
import { SCORE_MAXIMUM } from "./passback-job";
import { formatTarget, isGradable, TARGET_CUSTOM_PARAM, type LtiTarget } from "./targets";
import { signingKey, TOOL_KEY_ALG } from "./tool-keys";

export interface DeepLinkChoice {
  target: LtiTarget;
  title: string;
}

/** Everything of the course an instructor can add to the LMS, titled as the LMS will show it. */
export async function deepLinkOptions(db: Db, courseId: string): Promise<DeepLinkChoice[]> {
  const c = await deepLinkChoices(db, courseId);
  return [
    ...c.lessons.map((l) => ({ target: { kind: "lesson" as const, number: l.number }, title: `Lesson ${l.number}: ${l.title}` })),
    ...c.quizzes.map((q) => ({ target: { kind: "quiz" as const, number: q.number }, title: `Lesson ${q.number} quiz` })),
    ...c.assignments.map((a) => ({
      target: { kind: "assignment" as const, number: a.number },
      title: a.title.startsWith(`Assignment ${a.number}`) ? a.title : `Assignment ${a.number}: ${a.title}`,
    })),
  ];
}

/**
 * The signed LtiDeepLinkingResponse placing the chosen content in the LMS: one LTI resource link
 * per choice, launching the tool with the target in a custom parameter, and a line item (0–100)
 * for quizzes and assignments so the LMS makes a gradebook column that scores are sent to.
 * @see https://www.imsglobal.org/spec/lti-dl/v2p0#deep-linking-response-message
 */
export async function deepLinkingResponse(
  db: Db,
  ticket: DeepLinkTicketData,
  chosen: DeepLinkChoice[],
  launchUrl: string,
): Promise<{ jwt: string; returnUrl: string }> {
  const platform = await getPlatform(db, ticket.platformId);
  if (!platform) throw new LtiRefusal("unknownPlatform", "platform removed during deep linking");
  const items = chosen.map((c) => ({
    type: "ltiResourceLink",
    title: c.title,
    url: launchUrl,
    custom: { [TARGET_CUSTOM_PARAM]: formatTarget(c.target) },
    ...(isGradable(c.target) ? { lineItem: { scoreMaximum: SCORE_MAXIMUM, label: c.title, resourceId: formatTarget(c.target), tag: "tensorgrade" } } : {}),
  }));
  const { kid, key } = await signingKey(db);
  const jwt = await new SignJWT({
    nonce: crypto.randomUUID(),
    [CLAIM.messageType]: DEEP_LINKING_RESPONSE,
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.deploymentId]: ticket.deploymentId,
    [CLAIM.deepLinkingContentItems]: items,
    ...(ticket.data !== undefined ? { [CLAIM.deepLinkingData]: ticket.data } : {}),
  })
    .setProtectedHeader({ alg: TOOL_KEY_ALG, kid, typ: "JWT" })
    .setIssuer(platform.clientId)
    .setAudience(platform.issuer)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
  return { jwt, returnUrl: ticket.returnUrl };
}
