import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "@/db";
import { findSessionUser, type SessionUser } from "@/db/queries/users/find-session-user";
import { authOptions } from "./options";

export type CurrentUser = SessionUser;

/**
 * The signed-in user, read fresh from the database (so a changed role or a deleted account takes
 * effect at once), or null. Cached for the duration of one request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = (await getServerSession(authOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  return findSessionUser(await getDb(), session.userId);
});

/** For pages: the user, or a redirect to the sign-in page that comes back here. */
export async function requireUser(callbackPath = "/"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}

/** For pages: an instructor, or the 403 page (status 403, rendered by app/forbidden.tsx). */
export async function requireInstructor(callbackPath = "/instructor"): Promise<CurrentUser> {
  const user = await requireUser(callbackPath);
  if (user.role !== "instructor") forbidden();
  return user;
}
