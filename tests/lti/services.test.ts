import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { assignments, countedSubmissions, enrollments, lessons, ltiContexts, ltiScoreSends, quizAttempts, quizzes, rubricGrades, submissions, users } from "@/db/schema";
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

  it.skipIf(!process.env.REDIS_URL)("sends what the reconciliation finds through the BullMQ queue when Redis is configured", async () => {
    const { startPassbackRunner } = await import("@/domain/lti/passback-runner");
    const [a6] = await h.db.select().from(assignments).where(and(eq(assignments.courseId, courseId), eq(assignments.number, 6)));
    const sam = await userOf(student.sub);
    // Written behind the domain's back: no job announces it, only the reconciliation can find it.
    await h.db.update(rubricGrades).set({ total: 30 }).where(and(eq(rubricGrades.assignmentId, a6.id), eq(rubricGrades.userId, sam.id)));
    const lines: string[] = [];
    const runner = startPassbackRunner({
      db: h.db,
      redisUrl: process.env.REDIS_URL,
      prefix: `test-lti-${crypto.randomUUID().slice(0, 8)}`,
      reconcileIntervalMs: 0,
      log: (l) => lines.push(l),
    });
    try {
      const before = lms.scores.length;
      await runner.reconcile();
      await expect.poll(() => lms.scores.length, { timeout: 20_000 }).toBe(before + 1);
      expect(lines.join("\n")).not.toMatch(/reconciliation failed/);
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

  /** A passback runner as the site starts it — BullMQ when REDIS_URL is set, in process otherwise — with no reconciliation. */
  async function eventRunner(lines: string[]) {
    const { startPassbackRunner } = await import("@/domain/lti/passback-runner");
    return startPassbackRunner({
      db: h.db,
      redisUrl: process.env.REDIS_URL,
      prefix: `test-lti-${crypto.randomUUID().slice(0, 8)}`,
      reconcileIntervalMs: 0,
      log: (l) => lines.push(l),
    });
  }

  async function assignment6() {
    const { findAssignmentInCourse } = await import("@/db/queries/assignments/find-assignment");
    return findAssignmentInCourse(h.db, courseId, 6);
  }

  async function gradebookRowOf(userId: string) {
    const { getGradebook } = await import("@/domain/grading/gradebook");
    const book = await getGradebook(h.db, await assignment6());
    return book.rows.find((r) => r.userId === userId)!;
  }

  it(`sends each score change as a job of its own, at once, with the gradebook's per-part figures: the assignment's own grade to its column, the quiz to the quiz's (${process.env.REDIS_URL ? "BullMQ" : "in process"})`, async () => {
    const { overrideScore } = await import("@/domain/grading/override-score");
    const { gradeRubric } = await import("@/domain/grading/grade-rubric");
    const { startAttempt } = await import("@/domain/quiz/start-attempt");
    const { getAttemptView } = await import("@/domain/quiz/get-attempt-view");
    const { submitAttempt } = await import("@/domain/quiz/submit-attempt");
    await launch({ user: student, resourceLinkId: "rl-1", custom: { tg_target: "assignment:6" }, lineItemId: "li-1" });
    await launch({ user: other, resourceLinkId: "rl-quiz", custom: { tg_target: "quiz:6" }, lineItemId: "li-quiz" });
    const sam = await userOf(student.sub);
    const olga = await userOf(other.sub);
    const a6 = await assignment6();
    const [teacherRow] = await h.db.select().from(users).where(eq(users.name, teacher.name));
    const lines: string[] = [];
    const runner = await eventRunner(lines);
    const arrived = (n: number) => expect.poll(() => lms.scores.length, { timeout: 20_000, interval: 50 }).toBe(n);
    try {
      // An instructor's override of Sam's submission: one job, one score, on the assignment's column.
      const [sub] = await h.db.insert(submissions).values({ assignmentId: a6.id, userId: sam.id, kind: "cnn", seed: 7, status: "succeeded" }).returning();
      let before = lms.scores.length;
      const t0 = Date.now();
      await overrideScore(h.db, { submissionId: sub.id, score: 64, reason: "Checked by hand" }, teacherRow.id);
      await arrived(before + 1);
      let row = await gradebookRowOf(sam.id);
      const overridden = lms.scores.at(-1)!;
      expect(overridden).toMatchObject({ userId: student.sub, lineItemId: "li-1", scoreMaximum: 100 });
      expect(overridden.scoreGiven).toBeCloseTo(row.assignmentGrade!, 2);
      // The quiz (75, sent before) has a column of its own: the final grade, which counts it, is not what goes here.
      expect(row.quiz).toBe(75);
      expect(Math.abs(overridden.scoreGiven - row.final)).toBeGreaterThan(1);
      expect(row.final).toBeCloseTo(a6.config.gradebook.weights.quiz * row.quiz! + (1 - a6.config.gradebook.weights.quiz) * row.assignmentGrade!, 1);
      expect(new Date(overridden.timestamp).getTime()).toBeGreaterThanOrEqual(t0);

      // A rubric grade: the same column, the new figure.
      before = lms.scores.length;
      const rubric = a6.config.rubric;
      await gradeRubric(h.db, { submissionId: sub.id, scores: Object.fromEntries(rubric.criteria.map((c) => [c.id, String(c.maxPoints)])), confirmNoReport: true }, rubric, teacherRow.id);
      await arrived(before + 1);
      row = await gradebookRowOf(sam.id);
      expect(row.report).toBe(100);
      expect(lms.scores.at(-1)).toMatchObject({ userId: student.sub, lineItemId: "li-1" });
      expect(lms.scores.at(-1)!.scoreGiven).toBeCloseTo(row.assignmentGrade!, 2);

      // Olga submits the quiz: her best score goes to the quiz's column, nothing to the assignment's.
      before = lms.scores.length;
      const { attemptId } = await startAttempt(h.db, { quizId: (await quizOfLesson6()).id, userId: olga.id, seed: 11 });
      const view = await getAttemptView(h.db, { attemptId, userId: olga.id });
      await submitAttempt(h.db, { attemptId, userId: olga.id, answers: Object.fromEntries(view.questions.map((q) => [q.id, [q.choices[0].id]])) });
      await arrived(before + 1);
      const olgaRow = await gradebookRowOf(olga.id);
      expect(lms.scores.at(-1)).toMatchObject({ userId: other.sub, lineItemId: "li-quiz" });
      expect(lms.scores.at(-1)!.scoreGiven).toBeCloseTo(olgaRow.quiz!, 2);

      // The same change delivered again (a redelivered job) sends nothing more.
      const [lastSend] = await h.db.select().from(ltiScoreSends).orderBy(desc(ltiScoreSends.createdAt)).limit(1);
      await runner.enqueue({ change: { kind: "quiz", quizId: (await quizOfLesson6()).id, userId: olga.id, changedAt: lastSend.scoreTimestamp.toISOString() } });
      await new Promise((r) => setTimeout(r, 500));
      await runner.idle();
      expect(lms.scores.length).toBe(before + 1);
      expect(lines.join("\n")).not.toMatch(/reconciliation|failed/);
    } finally {
      await runner.stop();
    }
  });

  it("never sends another course's or another student's score, nor a practice run's", async () => {
    const { overrideScore } = await import("@/domain/grading/override-score");
    const { upsertCourse } = await import("@/db/queries/courses/upsert-course");
    const { upsertContext, upsertResourceLink } = await import("@/db/queries/lti/contexts");
    const { notifyScoreChange } = await import("@/domain/lti/score-change");
    const sam = await userOf(student.sub);
    const olga = await userOf(other.sub);
    const a6 = await assignment6();
    const [teacherRow] = await h.db.select().from(users).where(eq(users.name, teacher.name));
    // Another Tensorgrade course, linked to the same LMS (another client id there), with an Assignment 6 column of its own.
    const courseB = await upsertCourse(h.db, { slug: "other-course", title: "Another course" });
    const platformB = await registerPlatform(h.db, { name: "Harness (course B)", ...lms.registration, clientId: `${lms.clientId}-b`, deploymentIds: [lms.deploymentId], courseId: courseB.id });
    const ctxB = await upsertContext(h.db, { platformId: platformB.id, deploymentId: lms.deploymentId, contextId: "course-b", title: "Course B", courseId: courseB.id });
    await upsertResourceLink(h.db, { contextRowId: ctxB.id, resourceLinkId: "rl-b", targetKind: "assignment", targetNumber: 6, lineItemUrl: `${lms.url}/lineitems/li-b` });
    // Olga is linked to this LMS and has an Assignment 6 column too.
    await launch({ user: other, resourceLinkId: "rl-1", custom: { tg_target: "assignment:6" }, lineItemId: "li-1" });

    const lines: string[] = [];
    const runner = await eventRunner(lines);
    try {
      const before = lms.scores.length;
      const [sub] = await h.db.insert(submissions).values({ assignmentId: a6.id, userId: sam.id, kind: "cnn", seed: 8, status: "succeeded" }).returning();
      // The LMS fails the first post: the job is retried after its back-off (2 s) and then lands.
      lms.failNextScores(1);
      await overrideScore(h.db, { submissionId: sub.id, score: 90, reason: "Second look" }, teacherRow.id);
      await expect.poll(() => lms.scores.length, { timeout: 20_000, interval: 50 }).toBe(before + 1);
      expect(lms.scores.at(-1)).toMatchObject({ userId: student.sub, lineItemId: "li-1" });
      const [retried] = await h.db.select().from(ltiScoreSends).orderBy(desc(ltiScoreSends.createdAt)).limit(1);
      expect(retried).toMatchObject({ status: "sent", attempts: 2 });

      // Changes that have nothing to send: a teacher (no student of the course), Olga without graded work.
      await notifyScoreChange({ kind: "assignment", assignmentId: a6.id, userId: teacherRow.id });
      await notifyScoreChange({ kind: "assignment", assignmentId: a6.id, userId: olga.id });

      // A practice run is never a graded result: even a counted row pointing at it is not sent.
      const [practice] = await h.db.insert(submissions).values({ assignmentId: a6.id, userId: sam.id, kind: "cnn", seed: 9, status: "succeeded", purpose: "practice" }).returning();
      // An override of it is refused outright (an ungraded run has no score to override) …
      await expect(overrideScore(h.db, { submissionId: practice.id, score: 99, reason: "Practice only" }, teacherRow.id)).rejects.toThrow();
      // … and even a counted row pointing at it (written behind the domain's back) is not sent.
      await h.db.update(countedSubmissions).set({ submissionId: practice.id, publicScore: 99, privateScore: 99, source: "override" }).where(and(eq(countedSubmissions.assignmentId, a6.id), eq(countedSubmissions.userId, sam.id)));
      await notifyScoreChange({ kind: "assignment", assignmentId: a6.id, userId: sam.id });
      await new Promise((r) => setTimeout(r, 1_000));
      await runner.idle();
      expect(lms.scores.slice(before)).toHaveLength(1);
      expect(lms.scores.some((s) => s.lineItemId === "li-b")).toBe(false);
      expect(lms.scores.slice(before).every((s) => s.userId === student.sub)).toBe(true);
      // The reconciliation agrees: nothing for course B, for Olga, or from the practice run.
      const found = await recordScoreChanges(h.db);
      const rows = found.length ? await h.db.select().from(ltiScoreSends).where(inArray(ltiScoreSends.id, found)) : [];
      expect(rows.filter((r) => r.userId !== sam.id || r.scoreGiven >= 99)).toEqual([]);
    } finally {
      await runner.stop();
      const { recountStudent } = await import("@/domain/grading/recount");
      await h.db.transaction((tx) => recountStudent(tx, a6.id, sam.id));
    }
  });

  async function quizOfLesson6() {
    const [quiz] = await h.db
      .select({ id: quizzes.id })
      .from(quizzes)
      .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
      .where(and(eq(lessons.courseId, courseId), eq(lessons.number, 6)));
    return quiz;
  }

  async function contextRowId(): Promise<string> {
    const [row] = await h.db.select({ id: ltiContexts.id }).from(ltiContexts).where(eq(ltiContexts.contextId, lms.contextId));
    return row.id;
  }
});
