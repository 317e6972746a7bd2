import type { Db } from "@/db";
import { gradedResourceLinks } from "@/db/queries/lti/graded-links";
import { ltiSubsOfIssuer } from "@/db/queries/lti/provision-launch-user";
import {
  claimScoreSend,
  insertScoreSend,
  latestScoreSend,
  markScoreSendFailed,
  markScoreSent,
  scoreSendTarget,
  type LtiScoreSend,
} from "@/db/queries/lti/score-sends";
import { findAssignmentInCourse } from "@/db/queries/assignments/find-assignment";
import { getGradebook } from "@/domain/grading/gradebook";
import { NotFoundError } from "@/lib/errors";
import { forgetServiceTokens, LtiServiceError, SCOPE, SERVICE_TIMEOUT_MS, serviceToken } from "./service-token";
import { MAX_SEND_ATTEMPTS, SCORE_MAXIMUM, SEND_BACKOFF_MS } from "./passback-job";


const SCORE_EPSILON = 1e-6;

/**
 * Finds every score that changed since it was last recorded for a linked LMS gradebook column and
 * records one send per change (keyed by the moment it was seen, so a repeated scan adds nothing).
 * Quiz links get the lesson quiz's best score; assignment links the gradebook's final grade of
 * Assignment 6 (the submission that counts, overrides and the rubric included) — both from the
 * gradebook, the one place those rules live. Only students of the link's own course, linked to the
 * link's own LMS, are sent. Returns the new send ids (for the queue).
 */
export async function recordScoreChanges(db: Db, now = new Date()): Promise<string[]> {
  const created: string[] = [];
  const links = await gradedResourceLinks(db);
  const books = new Map<string, Awaited<ReturnType<typeof getGradebook>> | null>();
  const subsByIssuer = new Map<string, Map<string, string>>();
  for (const { link, context, platform } of links) {
    const bookKey = `${context.courseId}:${link.targetNumber}`;
    if (!books.has(bookKey)) {
      try {
        books.set(bookKey, await getGradebook(db, await findAssignmentInCourse(db, context.courseId, link.targetNumber), now));
      } catch (e) {
        // A lesson without an assignment of its number (a lesson-only course) has no gradebook to send from.
        if (!(e instanceof NotFoundError)) throw e;
        books.set(bookKey, null);
      }
    }
    const book = books.get(bookKey);
    if (!book) continue;
    let subs = subsByIssuer.get(platform.issuer);
    if (!subs) subsByIssuer.set(platform.issuer, (subs = await ltiSubsOfIssuer(db, platform.issuer)));
    for (const row of book.rows) {
      const sub = subs.get(row.userId);
      if (!sub) continue;
      const score = link.targetKind === "quiz" ? row.quiz : row.quiz === null && row.assignment === null && row.report === null ? null : row.final;
      if (score === null) continue;
      const last = await latestScoreSend(db, link.id, row.userId);
      if (last && Math.abs(last.scoreGiven - score) < SCORE_EPSILON) continue;
      const id = await insertScoreSend(db, {
        resourceLinkRowId: link.id,
        userId: row.userId,
        ltiSub: sub,
        scoreGiven: score,
        scoreMaximum: SCORE_MAXIMUM,
        scoreTimestamp: now,
      });
      if (id) created.push(id);
    }
  }
  return created;
}

/** `…/lineitems/7?x=1` → `…/lineitems/7/scores?x=1` (AGS: the scores endpoint is the line item URL plus /scores). */
export function scoresUrl(lineItemUrl: string): string {
  const u = new URL(lineItemUrl);
  u.pathname = `${u.pathname.replace(/\/$/, "")}/scores`;
  return u.toString();
}

/** Posts one recorded score to the LMS. Throws LtiServiceError when the LMS refuses or cannot be reached. */
async function postScore(db: Db, send: LtiScoreSend): Promise<void> {
  const target = await scoreSendTarget(db, send.resourceLinkRowId);
  if (!target?.link.lineItemUrl) throw new LtiServiceError("The LMS column of this item is no longer known.");
  const token = await serviceToken(db, target.platform, [SCOPE.score]);
  let res: Response;
  try {
    res = await fetch(scoresUrl(target.link.lineItemUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.ims.lis.v1.score+json" },
      body: JSON.stringify({
        userId: send.ltiSub,
        scoreGiven: send.scoreGiven,
        scoreMaximum: send.scoreMaximum,
        activityProgress: "Completed",
        gradingProgress: "FullyGraded",
        timestamp: send.scoreTimestamp.toISOString(),
      }),
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
  } catch (err) {
    throw new LtiServiceError(`The LMS could not be reached: ${(err as Error).message}`);
  }
  // A 401 means the cached token is no good any more: the retry asks for a new one.
  if (res.status === 401) forgetServiceTokens(target.platform.id);
  if (!res.ok) throw new LtiServiceError(`The LMS refused the score (HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`, res.status);
}

export type SendOutcome = "sent" | "retry" | "failed" | "skipped";

/**
 * Sends one recorded score, once: claims it (queued → sending), posts it, and marks it sent, or
 * queued again with back-off, or failed after MAX_SEND_ATTEMPTS. A send already taken by another
 * worker (a duplicate job) is skipped. The AGS timestamp is the score's, so a repeat the LMS does
 * receive twice changes nothing there.
 * @see https://www.imsglobal.org/spec/lti-ags/v2p0#score-publish-service
 */
export async function sendScore(db: Db, sendId: string, now = new Date(), log: (line: string) => void = console.log): Promise<SendOutcome> {
  const send = await claimScoreSend(db, sendId, now);
  if (!send) return "skipped";
  const attempts = send.attempts + 1;
  try {
    await postScore(db, send);
    await markScoreSent(db, send.id, new Date());
    log(`[lti] score ${send.scoreGiven}/${send.scoreMaximum} for ${send.ltiSub} sent (send ${send.id}, try ${attempts})`);
    return "sent";
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A 4xx other than 401/408/429 will not get better by trying again.
    const status = err instanceof LtiServiceError ? err.status : undefined;
    const permanent = status !== undefined && status >= 400 && status < 500 && ![401, 408, 429].includes(status);
    const retry = !permanent && attempts < MAX_SEND_ATTEMPTS;
    const retryAt = retry ? new Date(Date.now() + SEND_BACKOFF_MS * 2 ** (attempts - 1)) : null;
    await markScoreSendFailed(db, send.id, attempts, message, retryAt);
    log(`[lti] score for ${send.ltiSub} not sent (send ${send.id}, try ${attempts}): ${message}${retry ? "; will retry" : "; giving up"}`);
    if (!(err instanceof LtiServiceError)) throw err;
    return retry ? "retry" : "failed";
  }
}
