import type { CurrentUser } from "@/app/_lib/auth/session";

/**
 * Who may watch a submission being graded: the student who submitted it and instructors. Everyone
 * else is answered 404, so a submission id does not even reveal that the submission exists.
 */
export function canViewSubmission(user: Pick<CurrentUser, "id" | "role">, submission: { userId: string }): boolean {
  return user.role === "instructor" || user.id === submission.userId;
}
