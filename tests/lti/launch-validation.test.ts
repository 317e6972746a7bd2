import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRemoteJWKSet } from "jose";
import { and, eq, like } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { accounts, enrollments, users } from "@/db/schema";
import { upsertCourse } from "@/db/queries/courses/upsert-course";
import { createUser } from "@/domain/auth/create-user";
import { registerPlatform } from "@/db/queries/lti/platforms";
import { initiateLogin } from "@/domain/lti/login-initiation";
import { completeLaunch, LtiCookieBlocked } from "@/domain/lti/complete-launch";
import { LtiRefusal, type LtiRefusalCode } from "@/domain/lti/errors";
import { redeemTicket } from "@/domain/lti/tickets";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { ROLE, startPlatformHarness, type LaunchSpec, type PlatformHarness } from "./platform-harness";

const TOOL = { loginUrl: "http://tool.test/api/lti/login", launchUrl: "http://tool.test/api/lti/launch", jwksUrl: "http://tool.test/api/lti/jwks" };

describe(`LTI 1.3 launch validation against a test LMS (${dbDriverName})`, () => {
  let h: DbHandle;
  let lms: PlatformHarness;
  let courseId: string;
  // A fresh remote key set per test: jose's cooldown would otherwise hide a rotation made within 30 s.
  let keys: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    h = await createTestDb();
    lms = await startPlatformHarness();
    lms.setTool(TOOL);
    courseId = (await upsertCourse(h.db, { slug: "cv-fundamentals", title: "Computer Vision Fundamentals" })).id;
    await registerPlatform(h.db, {
      name: "Harness LMS",
      ...lms.registration,
      deploymentIds: [lms.deploymentId],
      courseId,
    });
  });
  afterAll(async () => {
    await lms.close();
    await h.close();
  });
  beforeEach(() => {
    keys = createRemoteJWKSet(new URL(lms.registration.jwksUrl), { cooldownDuration: 0 });
  });

  const student = (sub = `stu-${crypto.randomUUID()}`): LaunchSpec => ({
    user: { sub, name: "Lee Learner", email: `${sub}@uni.example`, roles: [ROLE.learner] },
    custom: { tg_target: "assignment:6" },
    lineItemId: "li-1",
  });

  /** The login dance, as a browser holding the state cookie would do it: returns the posted form and the state. */
  async function login(spec: LaunchSpec) {
    const hint = lms.prepareLaunch(spec);
    const params = Object.fromEntries(new URL(lms.loginInitiationUrl(hint)).searchParams);
    const { redirectUrl, state } = await initiateLogin(h.db, params, TOOL.launchUrl);
    const nonce = new URL(redirectUrl).searchParams.get("nonce")!;
    return { state, nonce, idToken: await lms.signIdToken(spec, nonce) };
  }

  async function launch(spec: LaunchSpec, opts: { cookie?: boolean } = {}) {
    const { state, idToken } = await login(spec);
    return completeLaunch(h.db, { id_token: idToken, state }, (s) => opts.cookie !== false && s === state, { keys: () => keys });
  }

  async function refusalOf(p: Promise<unknown>): Promise<LtiRefusalCode> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(LtiRefusal);
    return (err as LtiRefusal).code;
  }

  const ltiUsersOf = (sub: string) =>
    h.db.select().from(accounts).where(and(like(accounts.provider, "lti:%"), eq(accounts.providerAccountId, sub)));

  it("signs up a new student on a valid launch, enrols them with no join code, and hands back a single-use ticket for the assignment", async () => {
    const spec = student();
    const outcome = await launch(spec);
    expect(outcome).toMatchObject({ kind: "session", target: "/courses/cv-fundamentals/assignments/6" });
    const [link] = await ltiUsersOf(spec.user.sub);
    expect(link.provider).toBe(`lti:${lms.issuer}`);
    const [user] = await h.db.select().from(users).where(eq(users.id, link.userId));
    expect(user).toMatchObject({ name: "Lee Learner", role: "student", passwordHash: null });
    const [enrolment] = await h.db.select().from(enrollments).where(eq(enrollments.userId, link.userId));
    expect(enrolment).toMatchObject({ courseId, role: "student" });
    const ticket = await redeemTicket(h.db, outcome.ticket, "session");
    expect(ticket.userId).toBe(link.userId);
    expect(await refusalOf(redeemTicket(h.db, outcome.ticket, "session"))).toBe("badTicket");
  });

  it("links a second launch of the same LMS user to the same account, and makes an LMS teaching assistant an instructor", async () => {
    const spec = student();
    await launch(spec);
    await launch({ ...spec, user: { ...spec.user, roles: [ROLE.ta] } });
    const links = await ltiUsersOf(spec.user.sub);
    expect(links).toHaveLength(1);
    const [user] = await h.db.select().from(users).where(eq(users.id, links[0].userId));
    expect(user.role).toBe("instructor");
  });

  it("never joins an LMS identity to a local account by email: the local account stays its owner's", async () => {
    const local = await createUser(h.db, { email: "alice@uni.example", name: "Alice Local", password: "alice's own password" });
    const spec: LaunchSpec = { user: { sub: "alice-in-lms", name: "Alice LMS", email: "alice@uni.example", roles: [ROLE.instructor] } };
    await launch(spec);
    const [link] = await ltiUsersOf("alice-in-lms");
    expect(link.userId).not.toBe(local.id);
    const [localAfter] = await h.db.select().from(users).where(eq(users.id, local.id));
    expect(localAfter).toMatchObject({ role: "student", name: "Alice Local" });
    const [lmsUser] = await h.db.select().from(users).where(eq(users.id, link.userId));
    expect(lmsUser.email).toMatch(/@lti\.invalid$/);
  });

  it("accepts a token signed with a key the LMS rotated in, fetching its JWKS again", async () => {
    await launch(student()); // caches the current JWKS
    await lms.rotateKey();
    await expect(launch(student())).resolves.toMatchObject({ kind: "session" });
  });

  const refusals: [string, LaunchSpec["tamper"], LtiRefusalCode][] = [
    ["a token for another audience", { aud: "someone-else" }, "wrongAudience"],
    ["several audiences without azp naming the tool", { aud: ["someone-else", "__client__"] }, "wrongAudience"],
    ["an azp naming another client", { azp: "someone-else" }, "wrongAudience"],
    ["a token from another issuer", { iss: "https://evil.example" }, "wrongIssuer"],
    ["an expired token", { issuedAgoSeconds: 900, expiresInSeconds: 60 }, "expired"],
    ["a token issued in the future", { issuedAgoSeconds: -600 }, "notYetValid"],
    ["an unknown deployment", { deploymentId: "deployment-nobody-registered" }, "unknownDeployment"],
    ["a key the LMS's JWKS does not have", { unlistedKey: true }, "unknownKey"],
    ["an unsigned token (alg: none)", { algNone: true }, "unsignedToken"],
    ["a nonce other than the login's", { nonce: "not-the-nonce" }, "wrongNonce"],
    ["another LTI version", { version: "1.1" }, "unsupportedMessage"],
    ["an unknown message type", { messageType: "LtiSubmissionReviewRequest" }, "unsupportedMessage"],
  ];
  for (const [what, tamper, code] of refusals) {
    it(`refuses ${what} (${code}) and creates no user`, async () => {
      const spec = student();
      if (Array.isArray(tamper?.aud)) tamper.aud = tamper.aud.map((a) => (a === "__client__" ? lms.clientId : a));
      const before = (await h.db.select({ id: users.id }).from(users)).length;
      expect(await refusalOf(launch({ ...spec, tamper }))).toBe(code);
      expect(await ltiUsersOf(spec.user.sub)).toHaveLength(0);
      expect((await h.db.select({ id: users.id }).from(users)).length).toBe(before);
    });
  }

  it("refuses a replayed launch: the same id_token and state a second time", async () => {
    const spec = student();
    const { state, idToken } = await login(spec);
    const post = () => completeLaunch(h.db, { id_token: idToken, state }, () => true, { keys: () => keys });
    await expect(post()).resolves.toMatchObject({ kind: "session" });
    expect(await refusalOf(post())).toBe("replayed");
  });

  it("refuses a token replayed into a fresh login (its nonce belongs to the old one)", async () => {
    const spec = student();
    const first = await login(spec);
    const second = await login(spec);
    expect(await refusalOf(completeLaunch(h.db, { id_token: first.idToken, state: second.state }, () => true, { keys: () => keys }))).toBe("wrongNonce");
  });

  it("refuses a state this browser did not start (no cookie), offering the login again in a new window", async () => {
    const spec = student();
    const err = await launch(spec, { cookie: false }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(LtiCookieBlocked);
    expect((err as LtiCookieBlocked).loginParams).toMatchObject({ iss: lms.issuer, login_hint: spec.user.sub });
    expect(await ltiUsersOf(spec.user.sub)).toHaveLength(0);
  });

  it("refuses an unknown state and a launch without parameters", async () => {
    const { idToken } = await login(student());
    expect(await refusalOf(completeLaunch(h.db, { id_token: idToken, state: "x".repeat(32) }, () => true, { keys: () => keys }))).toBe("badState");
    expect(await refusalOf(completeLaunch(h.db, {}, () => true))).toBe("missingParameters");
  });

  it("refuses a login initiation from an unregistered LMS or deployment", async () => {
    const base = { login_hint: "x", target_link_uri: TOOL.launchUrl };
    expect(await refusalOf(initiateLogin(h.db, { ...base, iss: "https://unknown.example" }, TOOL.launchUrl))).toBe("unknownPlatform");
    expect(await refusalOf(initiateLogin(h.db, { ...base, iss: lms.issuer, client_id: "other" }, TOOL.launchUrl))).toBe("unknownPlatform");
    expect(
      await refusalOf(initiateLogin(h.db, { ...base, iss: lms.issuer, client_id: lms.clientId, lti_deployment_id: "nope" }, TOOL.launchUrl)),
    ).toBe("unknownDeployment");
  });

  it("refuses to move a registered LMS into another course", async () => {
    const other = await upsertCourse(h.db, { slug: "another-course", title: "Another course" });
    await expect(registerPlatform(h.db, { name: "Hijack", ...lms.registration, deploymentIds: [lms.deploymentId], courseId: other.id })).rejects.toThrow(
      /already registered for another Tensorgrade course/,
    );
  });

  it("lets only an instructor open the deep-linking picker", async () => {
    expect(await refusalOf(launch({ ...student(), kind: "deep-link" }))).toBe("notInstructor");
    const teacher: LaunchSpec = { kind: "deep-link", user: { sub: "teacher-1", name: "Tess Teacher", roles: [ROLE.instructor] } };
    await expect(launch(teacher)).resolves.toMatchObject({ kind: "deep-link" });
  });
});
