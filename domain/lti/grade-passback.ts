import type { Db } from "@/db";
import { countedNotGraded, gradedLinksOfTarget, gradedResourceLinks, quizTarget } from "@/db/queries/lti/graded-links";
import { ltiSubOf, ltiSubsOfIssuer } from "@/db/queries/lti/provision-launch-user";
import {
  claimScoreSend,
  insertScoreSend,
  latestScoreSend,
  markScoreSendFailed,
  markScoreSent,
  scoreSendAt,
  scoreSendTarget,
  type LtiScoreSend,
} from "@/db/queries/lti/score-sends";
import { findAssignmentById, findAssignmentInCourse } from "@/db/queries/assignments/find-assignment";
import { bestScores } from "@/db/queries/quiz/best-scores";
import { getGradebook, quizPercent, studentGradebookRow, type GradebookRow } from "@/domain/grading/gradebook";
import { NotFoundError } from "@/lib/errors";
import { forgetServiceTokens, LtiServiceError, SCOPE, SERVICE_TIMEOUT_MS, serviceToken } from "./service-token";
import { MAX_SEND_ATTEMPTS, SCORE_MAXIMUM, SEND_BACKOFF_MS, type ScoreChange } from "./passback-job";

const SCORE_EPSILON = 1e-6;

/**
 * What an LMS column of this kind receives from a gradebook line: the quiz's best score for a quiz
 * link; for an assignment link the assignment's own grade (the submission that counts, overrides and
 * the rubric, without the quiz — which has a column of its own). Both are the gradebook's figures.
 */
export function passbackScore(kind: "quiz" | "assignment", row: Pick<GradebookRow, "quiz" | "assignmentGrade">): number | null {
  return kind === "quiz" ? row.quiz : row.assignmentGrade;
}

type Recorded = { status: "recorded"; sendId: string } | { status: "unchanged" | "superseded" | "nothing" };

/**
 * Records one send of `score` for a student on a link, unless it changes nothing: the same change
 * seen again (same timestamp) returns its row; a later change already recorded supersedes this one;
 * the same score as the newest recorded one is not sent again.
 */
async function recordSend(
  db: Db,
  input: { linkRowId: string; userId: string; sub: string; score: number | null; at: Date },
): Promise<Recorded> {
  const same = await scoreSendAt(db, input.linkRowId, input.userId, input.at);
  if (same) return { status: "recorded", sendId: same.id };
  if (input.score === null) return { status: "nothing" };
  const last = await latestScoreSend(db, input.linkRowId, input.userId);
  if (last && last.scoreTimestamp.getTime() > input.at.getTime()) return { status: "superseded" };
  if (last && last.status !== "failed" && Math.abs(last.scoreGiven - input.score) < SCORE_EPSILON) return { status: "unchanged" };
  const id = await insertScoreSend(db, {
    resourceLinkRowId: input.linkRowId,
    userId: input.userId,
    ltiSub: input.sub,
    scoreGiven: input.score,
    scoreMaximum: SCORE_MAXIMUM,
    scoreTimestamp: input.at,
  });
  if (id) return { status: "recorded", sendId: id };
  // Inserted by a concurrent run of the same change a moment ago.
  const raced = await scoreSendAt(db, input.linkRowId, input.userId, input.at);
  return raced ? { status: "recorded", sendId: raced.id } : { status: "nothing" };
}

/**
 * One score change, worked out for that student only: the LMS columns it goes to are the graded
 * links of this quiz or assignment in LMS courses linked to the student's Tensorgrade course (no
 * other course's), on LMSs the student launched from or was rostered by (their own `sub` there);
 * the score is read from the gradebook's rules for that one student (null when they are not a
 * student of the course). Returns the sends recorded for it, to be sent by the caller.
 */
export async function recordScoreChange(db: Db, change: ScoreChange, now = new Date()): Promise<string[]> {
  const at = new Date(change.changedAt);
  let courseId: string;
  let number: number;
  let score: () => Promise<number | null>;
  if (change.kind === "quiz") {
    const target = await quizTarget(db, change.quizId);
    if (!target) return [];
    ({ courseId, number } = target);
    score = async () => {
      // Enrolled students only (the query joins the course's student enrolments).
      const [best] = await bestScores(db, change.quizId, change.userId);
      return best ? quizPercent(best) : null;
    };
  } else {
    let assignment: Awaited<ReturnType<typeof findAssignmentById>>;
    try {
      assignment = await findAssignmentById(db, change.assignmentId);
    } catch (e) {
      if (e instanceof NotFoundError) return [];
      throw e;
    }
    ({ courseId, number } = assignment);
    score = async () => {
      // Only graded results go to an LMS: never a practice or baseline run, whatever counts.
      if ((await countedNotGraded(db, assignment.id, change.userId)).size) return null;
      const row = await studentGradebookRow(db, assignment, change.userId, now);
      return row ? passbackScore("assignment", row) : null;
    };
  }
  const links = await gradedLinksOfTarget(db, courseId, change.kind, number);
  if (!links.length) return [];
  const value = await score();
  const ids: string[] = [];
  for (const { link, platform } of links) {
    const sub = await ltiSubOf(db, platform.issuer, change.userId);
    if (!sub) continue;
    const r = await recordSend(db, { linkRowId: link.id, userId: change.userId, sub, score: value === null ? null : Math.round(value * 100) / 100, at });
    if (r.status === "recorded") ids.push(r.sendId);
  }
  return ids;
}

/**
 * The safety net behind the per-change jobs: compares every linked student's gradebook figures
 * with what their LMS column was last sent and records one send per difference (timestamped
 * `now`). It catches what no write announces — the deadline switching the counted score to the
 * private split, a recount after a rule change — and changes whose job was lost (a process that
 * died before its in-process job ran, Redis down at the moment of the change). Only students of the
 * link's own course, linked to the link's own LMS, are sent. Returns the new send ids.
 */
export async function recordScoreChanges(db: Db, now = new Date()): Promise<string[]> {
  const created: string[] = [];
  const links = await gradedResourceLinks(db);
  const books = new Map<string, { book: Awaited<ReturnType<typeof getGradebook>>; notGraded: Set<string> } | null>();
  const subsByIssuer = new Map<string, Map<string, string>>();
  for (const { link, context, platform } of links) {
    const bookKey = `${context.courseId}:${link.targetNumber}`;
    if (!books.has(bookKey)) {
      try {
        const assignment = await findAssignmentInCourse(db, context.courseId, link.targetNumber);
        books.set(bookKey, { book: await getGradebook(db, assignment, now), notGraded: await countedNotGraded(db, assignment.id) });
      } catch (e) {
        // A lesson without an assignment of its number (a lesson-only course) has no gradebook to send from.
        if (!(e instanceof NotFoundError)) throw e;
        books.set(bookKey, null);
      }
    }
    const entry = books.get(bookKey);
    if (!entry) continue;
    const { book, notGraded } = entry;
    let subs = subsByIssuer.get(platform.issuer);
    if (!subs) subsByIssuer.set(platform.issuer, (subs = await ltiSubsOfIssuer(db, platform.issuer)));
    const kind = link.targetKind === "quiz" ? "quiz" : "assignment";
    for (const row of book.rows) {
      const sub = subs.get(row.userId);
      if (!sub || (kind === "assignment" && notGraded.has(row.userId))) continue;
      const score = passbackScore(kind, row);
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
    await markScoreSent(db, send.id, new Date(), attempts);
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
