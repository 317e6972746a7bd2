"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { getCurrentUser } from "@/app/_lib/auth/session";
import { courseRoleOf, findCourseBySlug } from "@/db/queries/courses/course-access";
import { registerPlatform } from "@/db/queries/lti/platforms";
import { rotateToolKey } from "@/domain/lti/tool-keys";
import { syncRoster } from "@/domain/lti/sync-roster";
import { LtiServiceError } from "@/domain/lti/service-token";
import { getContext } from "@/db/queries/lti/contexts";
import { HttpError } from "@/lib/errors";
import { issueTicket } from "@/domain/lti/tickets";
import { REGISTRATION_TICKET_TTL_MS } from "@/domain/lti/dynamic-registration";
import { toolBaseUrl } from "@/app/_lib/lti/tool-urls";

const httpUrl = (label: string) =>
  z
    .string()
    .trim()
    .url(`${label} must be a full URL (https://…).`)
    .refine((u) => /^https?:\/\//.test(u), `${label} must start with https://.`);

const platformInput = z.object({
  slug: z.string().min(1),
  name: z.string().trim().min(1, "Give the LMS a name (e.g. 'University Canvas').").max(200),
  issuer: z.string().trim().min(1, "The issuer is required (Canvas: https://canvas.instructure.com).").max(500),
  clientId: z.string().trim().min(1, "The client id is required (the LMS shows it after you add the tool).").max(255),
  deploymentIds: z
    .string()
    .transform((v) => v.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(255)).min(1, "Add at least one deployment id.").max(50)),
  authLoginUrl: httpUrl("The authorisation (OIDC auth) URL"),
  authTokenUrl: httpUrl("The access token URL"),
  jwksUrl: httpUrl("The keyset (JWKS) URL"),
});

/** The course of `slug`, when the signed-in user teaches it; else the message to show. */
async function taughtCourse(slug: string) {
  return (await taughtBy(slug)).ctx;
}

async function taughtBy(slug: string) {
  const user = await getCurrentUser();
  if (!user) throw new HttpError(401, "Sign in to continue.");
  const db = await getDb();
  const course = await findCourseBySlug(db, slug);
  if ((await courseRoleOf(db, course.id, user.id)) !== "instructor") throw new HttpError(403, "Only an instructor of this course can do this.");
  return { ctx: { db, course }, user };
}

function back(slug: string, params: Record<string, string>): never {
  revalidatePath(`/courses/${slug}/lti`);
  redirect(`/courses/${encodeURIComponent(slug)}/lti?${new URLSearchParams(params)}`);
}

async function run(slug: string, work: () => Promise<string>): Promise<never> {
  let message: string;
  try {
    message = await work();
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) back(slug, { error: err.message });
    if (err instanceof LtiServiceError) back(slug, { error: err.message });
    console.error("[lti] instructor action failed:", err);
    back(slug, { error: "That did not work because of a problem on our side. Please try again." });
  }
  back(slug, { done: message });
}

/** Registers an LMS (issuer, client id, deployments, endpoints) for this course. */
export async function registerPlatformAction(form: FormData): Promise<void> {
  const slug = String(form.get("slug") ?? "");
  await run(slug, async () => {
    const parsed = platformInput.safeParse(Object.fromEntries(form));
    if (!parsed.success) throw new HttpError(422, parsed.error.issues[0]?.message ?? "Check the form.");
    const { db, course } = await taughtCourse(slug);
    const { slug: _slug, ...fields } = parsed.data;
    const p = await registerPlatform(db, { ...fields, courseId: course.id });
    return `Registered ${p.name}.`;
  });
}

/** Makes a new tool signing key; the old one stays published for a week. */
export async function rotateKeyAction(form: FormData): Promise<void> {
  const slug = String(form.get("slug") ?? "");
  await run(slug, async () => {
    const { db } = await taughtCourse(slug);
    const kid = await rotateToolKey(db);
    return `New signing key ${kid.slice(0, 8)}… is in use; the previous one stays published for a week.`;
  });
}

/** Reads the LMS course's roster (NRPS) into the course. */
export async function syncRosterAction(form: FormData): Promise<void> {
  const slug = String(form.get("slug") ?? "");
  const contextRowId = String(form.get("contextRowId") ?? "");
  await run(slug, async () => {
    const { db, course } = await taughtCourse(slug);
    const ctx = await getContext(db, contextRowId);
    if (!ctx || ctx.context.courseId !== course.id) throw new HttpError(404, "That LMS course is not linked to this course.");
    const result = await syncRoster(db, ctx);
    return `Roster synced: ${result.members} members, ${result.added} new to Tensorgrade.`;
  });
}

/**
 * Makes a single-use dynamic registration URL (valid a day) for an LMS administrator to paste into
 * the LMS; whoever opens it attaches one LMS to this course, so it is shown once, to this instructor.
 */
export async function makeRegistrationUrlAction(form: FormData): Promise<void> {
  const slug = String(form.get("slug") ?? "");
  let token: string;
  try {
    const { ctx, user } = await taughtBy(slug);
    token = await issueTicket(ctx.db, { userId: user.id, purpose: "register", target: "/", data: { courseId: ctx.course.id } }, new Date(), REGISTRATION_TICKET_TTL_MS);
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) back(slug, { error: err.message });
    throw err;
  }
  back(slug, { registration: `${toolBaseUrl()}/api/lti/register?t=${token}` });
}
