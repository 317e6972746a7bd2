import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { assignments, enrollments, lessons, ltiContexts, ltiScoreSends, quizAttempts, quizzes, rubricGrades, users } from "@/db/schema";
import { seedDatabase } from "@/db/seed/seed";
import { registerPlatform } from "@/db/queries/lti/platforms";
import { getContext } from "@/db/queries/lti/contexts";
import { initiateLogin } from "@/domain/lti/login-initiation";
import { completeLaunch, type DeepLinkTicketData } from "@/domain/lti/complete-launch";
import { deepLinkingResponse, deepLinkOptions } from "@/domain/lti/deep-linking";
import { recordScoreChanges, sendScore } from "@/domain/lti/grade-passback";
import { syncRoster } from "@/domain/lti/sync-roster";
import { redeemTicket } from "@/domain/lti/tickets";
import { toolJwks } from "@/domain/lti/tool-keys";
import { createRemoteJWKSet } from "jose";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { ROLE, startPlatformHarness, type HarnessUser, type LaunchSpec, type PlatformHarness } from "./platform-harness";

const student: HarnessUser = { sub: "svc-student-1", name: "Sam LMS", email: "sam@uni.example", roles: [ROLE.learner] };
const other: HarnessUser = { sub: "svc-student-2", name: "Olga LMS", roles: [ROLE.learner] };
const teacher: HarnessUser = { sub: "svc-teacher", name: "Tom Teacher", roles: [ROLE.instructor] };
const rosterOnly: HarnessUser = { sub: "svc-roster-only", name: "Rita Roster", email: "rita@uni.example", roles: ["Learner"] };

describe(`LTI Advantage services against the test LMS: deep linking, grade passback, roster (${dbDriverName})`, () => {
  let h: DbHandle;
  let lms: PlatformHarness;
  let jwksServer: http.Server;
  let courseId: string;
  const launchUrl = "http://tool.test/api/lti/launch";

  beforeAll(async () => {
    h = await createTestDb();
    courseId = (await seedDatabase(h.db, { demo: false })).courseId;
    // The tool's JWKS, served as the site would, so the LMS can verify what the tool signs.
    jwksServer = http.createServer((_req, res) => {
      toolJwks(h.db).then((jwks) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(jwks));
      });
    });
    await new Promise<void>((r) => jwksServer.listen(0, "127.0.0.1", r));
    const port = (jwksServer.address() as { port: number }).port;
    lms = await startPlatformHarness({ roster: [student, teacher, rosterOnly] });
    lms.setTool({ loginUrl: "http://tool.test/api/lti/login", launchUrl, jwksUrl: `http://127.0.0.1:${port}/jwks` });
    await registerPlatform(h.db, { name: "Harness", ...lms.registration, deploymentIds: [lms.deploymentId], courseId });
  }, 120_000);
  afterAll(async () => {
    await lms.close();
    await new Promise((r) => jwksServer.close(r));
    await h.close();
  });

  async function launch(spec: LaunchSpec) {
    const hint = lms.prepareLaunch(spec);
    const params = Object.fromEntries(new URL(lms.loginInitiationUrl(hint)).searchParams);
    const { redirectUrl, state } = await initiateLogin(h.db, params, launchUrl);
    const idToken = await lms.signIdToken(spec, new URL(redirectUrl).searchParams.get("nonce")!);
    const keys = createRemoteJWKSet(new URL(lms.registration.jwksUrl));
    return completeLaunch(h.db, { id_token: idToken, state }, () => true, { keys: () => keys });
  }

  async function userOf(sub: string) {
    const [u] = await h.db.select().from(users).where(eq(users.name, sub === student.sub ? student.name : sub === other.sub ? other.name : rosterOnly.name));
    return u;
  }

  it("offers the course's lessons, quiz and Assignment 6, and signs a deep-linking response the LMS accepts, with a line item for the assignment", async () => {
    const outcome = await launch({ user: teacher, kind: "deep-link" });
    expect(outcome.kind).toBe("deep-link");
    const ticket = await redeemTicket(h.db, outcome.ticket, "deep-link");
    const options = await deepLinkOptions(h.db, courseId);
    expect(options.map((o) => `${o.target.kind}:${o.target.number}`)).toEqual(expect.arrayContaining(["lesson:6", "quiz:6", "assignment:6"]));
    const a6 = options.filter((o) => o.target.kind === "assignment" && o.target.number === 6);
    const { jwt, returnUrl } = await deepLinkingResponse(h.db, ticket.data as DeepLinkTicketData, a6, launchUrl);
    const res = await fetch(returnUrl, { method: "POST", body: new URLSearchParams({ JWT: jwt }) });
    expect(res.status).toBe(200);
    expect(lms.lineItems).toEqual([expect.objectContaining({ scoreMaximum: 100, resourceId: "assignment:6" })]);
    expect(lms.deepLinkResponses[0].data).toBe("harness-opaque-data");
  });

  it("sends a linked student's Assignment 6 grade once per change, to their own line item, retrying when the LMS fails", async () => {
    await launch({ user: student, resourceLinkId: "rl-1", custom: { tg_target: "assignment:6" }, lineItemId: "li-1" });
    // A student of the same course who never came from this LMS: nothing may be sent for them.
    const [local] = await h.db.insert(users).values({ email: "local@uni.example", name: "Local Only", role: "student" }).returning();
    await h.db.insert(enrollments).values({ courseId, userId: local.id, role: "student" });
    const [a6] = await h.db.select().from(assignments).where(and(eq(assignments.courseId, courseId), eq(assignments.number, 6)));
    const sam = await userOf(student.sub);
    const grade = (userId: string, total: number) =>
      h.db
        .insert(rubricGrades)
        .values({ assignmentId: a6.id, userId, scores: {}, total, gradedBy: userId })
        .onConflictDoUpdate({ target: [rubricGrades.assignmentId, rubricGrades.userId], set: { total } });
    await grade(sam.id, 10);
    await grade(local.id, 10);

    lms.failNextScores(1);
    const [first, ...more] = await recordScoreChanges(h.db);
    expect(more).toEqual([]);
    expect(await sendScore(h.db, first, new Date(), () => {})).toBe("retry");
    const [afterFail] = await h.db.select().from(ltiScoreSends).where(eq(ltiScoreSends.id, first));
    expect(afterFail).toMatchObject({ status: "queued", attempts: 1 });
    expect(afterFail.lastError).toMatch(/HTTP 503/);
    expect(afterFail.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(await sendScore(h.db, first, new Date(), () => {})).toBe("sent");
    // A duplicate delivery of the same job sends nothing.
    expect(await sendScore(h.db, first, new Date(), () => {})).toBe("skipped");
    expect(lms.scores).toHaveLength(1);
    expect(lms.scores[0]).toMatchObject({ lineItemId: "li-1", userId: student.sub, scoreMaximum: 100, gradingProgress: "FullyGraded" });
    const sent = lms.scores[0].scoreGiven;
    expect(sent).toBeGreaterThan(0);

    // No change, no new send; a changed rubric grade is one more.
    expect(await recordScoreChanges(h.db)).toEqual([]);
    await grade(sam.id, 20);
    const [second] = await recordScoreChanges(h.db);
    expect(await sendScore(h.db, second, new Date(), () => {})).toBe("sent");
    expect(lms.scores).toHaveLength(2);
    expect(lms.scores[1].scoreGiven).toBeCloseTo(2 * sent, 5);
    expect(new Date(lms.scores[1].timestamp).getTime()).toBeGreaterThan(new Date(lms.scores[0].timestamp).getTime());
    expect(lms.scores.every((s) => s.userId === student.sub)).toBe(true);
  });

  it("sends the quiz's best score to a quiz link's line item, and only that student's", async () => {
    await launch({ user: student, resourceLinkId: "rl-quiz", custom: { tg_target: "quiz:6" }, lineItemId: "li-quiz" });
    const sam = await userOf(student.sub);
    const [quiz] = await h.db
      .select({ id: quizzes.id })
      .from(quizzes)
      .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
      .where(and(eq(lessons.courseId, courseId), eq(lessons.number, 6)));
    const attempt = (n: number, score: number) =>
      h.db.insert(quizAttempts).values({ quizId: quiz.id, userId: sam.id, attemptNumber: n, seed: n, layout: [], submittedAt: new Date(), score, maxScore: 8 });
    await attempt(1, 6);
    await attempt(2, 4);
    const before = lms.scores.length;
    for (const id of await recordScoreChanges(h.db)) await sendScore(h.db, id, new Date(), () => {});
    const quizScores = lms.scores.slice(before).filter((s) => s.lineItemId === "li-quiz");
    // The best of the two attempts, 6 of 8, on the 0-100 scale.
    expect(quizScores).toEqual([expect.objectContaining({ userId: student.sub, scoreGiven: 75, scoreMaximum: 100 })]);
  });

  it("syncs the roster through NRPS: a member who never launched is enrolled and linked by their LMS id", async () => {
    await launch({ user: teacher, resourceLinkId: "rl-2" });
    const ctx = (await getContext(h.db, await contextRowId()))!;
    const result = await syncRoster(h.db, ctx);
    expect(result).toEqual({ members: 3, added: 1 });
    const rita = await userOf(rosterOnly.sub);
    expect(rita).toMatchObject({ role: "student", email: "rita@uni.example" });
    const [enrolment] = await h.db.select().from(enrollments).where(and(eq(enrollments.userId, rita.id), eq(enrollments.courseId, courseId)));
    expect(enrolment.role).toBe("student");
    // Rita's first launch later finds her account instead of making another.
    await launch({ user: rosterOnly, resourceLinkId: "rl-2" });
    expect(await h.db.select().from(users).where(eq(users.name, rosterOnly.name))).toHaveLength(1);
    expect(lms.tokenRequests.every((t) => t.ok)).toBe(true);
  });

  it("registers an LMS by dynamic registration from the instructor's single-use URL, and refuses the URL a second time", async () => {
    const { issueTicket } = await import("@/domain/lti/tickets");
    const { registerDynamically, REGISTRATION_TICKET_TTL_MS } = await import("@/domain/lti/dynamic-registration");
    const [teacherRow] = await h.db.select().from(users).where(eq(users.name, teacher.name));
    const ticket = await issueTicket(h.db, { userId: teacherRow.id, purpose: "register", target: "/", data: { courseId } }, new Date(), REGISTRATION_TICKET_TTL_MS);
    const tool = { login: "http://tool.test/api/lti/login", launch: launchUrl, jwks: "http://tool.test/api/lti/jwks" };
    const input = { ticket, openidConfiguration: `${lms.url}/.well-known/openid-configuration`, registrationToken: lms.registrationToken, tool };
    const platform = await registerDynamically(h.db, input);
    expect(platform).toMatchObject({ issuer: lms.issuer, clientId: lms.clientId, authLoginUrl: `${lms.url}/auth`, jwksUrl: `${lms.url}/jwks`, courseId });
    expect(lms.registrations[0]).toMatchObject({ initiate_login_uri: tool.login, redirect_uris: [launchUrl], jwks_uri: tool.jwks, token_endpoint_auth_method: "private_key_jwt" });
    await expect(registerDynamically(h.db, input)).rejects.toThrow(/expired or was already used/);
    // A configuration that claims another issuer than where it lives is refused before the ticket is spent.
    const other = await issueTicket(h.db, { userId: teacherRow.id, purpose: "register", target: "/", data: { courseId } });
    await expect(registerDynamically(h.db, { ...input, ticket: other, openidConfiguration: `http://127.0.0.1:1/.well-known/openid-configuration` })).rejects.toThrow(/could not be reached/);
  });

  it.skipIf(!process.env.REDIS_URL)("sends a score change through the BullMQ queue when Redis is configured", async () => {
    const { startPassbackRunner } = await import("@/domain/lti/passback-runner");
    const [a6] = await h.db.select().from(assignments).where(and(eq(assignments.courseId, courseId), eq(assignments.number, 6)));
    const sam = await userOf(student.sub);
    await h.db.update(rubricGrades).set({ total: 30 }).where(and(eq(rubricGrades.assignmentId, a6.id), eq(rubricGrades.userId, sam.id)));
    const lines: string[] = [];
    const runner = startPassbackRunner({
      db: h.db,
      redisUrl: process.env.REDIS_URL,
      prefix: `test-lti-${crypto.randomUUID().slice(0, 8)}`,
      intervalMs: 60_000,
      log: (l) => lines.push(l),
    });
    try {
      const before = lms.scores.length;
      await runner.tick();
      await expect.poll(() => lms.scores.length, { timeout: 20_000 }).toBe(before + 1);
      expect(lines.join("\n")).not.toMatch(/scan failed/);
      expect(lms.scores.at(-1)).toMatchObject({ userId: student.sub, lineItemId: "li-1" });
      expect(lines[0]).toMatch(/started \(BullMQ/);
    } finally {
      await runner.stop();
    }
  });

  it("rotates the tool's signing key: the new key signs, the old one stays published", async () => {
    const { rotateToolKey, signingKey } = await import("@/domain/lti/tool-keys");
    const before = (await signingKey(h.db)).kid;
    const after = await rotateToolKey(h.db);
    expect(after).not.toBe(before);
    expect((await signingKey(h.db)).kid).toBe(after);
    expect((await toolJwks(h.db)).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before, after]));
    // The LMS, which cached the old set, still verifies what the new key signs (it fetches the set again).
    await expect(launch({ user: teacher, kind: "deep-link" })).resolves.toMatchObject({ kind: "deep-link" });
    const outcome = await launch({ user: teacher, kind: "deep-link" });
    const ticket = await redeemTicket(h.db, outcome.ticket, "deep-link");
    const options = (await deepLinkOptions(h.db, courseId)).filter((o) => o.target.kind === "lesson");
    const { jwt, returnUrl } = await deepLinkingResponse(h.db, ticket.data as DeepLinkTicketData, options.slice(0, 1), launchUrl);
    expect((await fetch(returnUrl, { method: "POST", body: new URLSearchParams({ JWT: jwt }) })).status).toBe(200);
  });

  async function contextRowId(): Promise<string> {
    const [row] = await h.db.select({ id: ltiContexts.id }).from(ltiContexts).where(eq(ltiContexts.contextId, lms.contextId));
    return row.id;
  }
});
