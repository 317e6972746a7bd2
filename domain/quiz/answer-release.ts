import type { AnswerRelease } from "@/assignments/content/quiz-schema";

/**
 * Whether a student may see right answers and explanations of a submitted attempt now.
 * "after-attempt": as soon as it is submitted. "after-due": once the quiz's due date has passed
 * (so early finishers cannot pass the key to classmates who have not yet taken it).
 */
export function answersReleased(
  policy: AnswerRelease,
  dueAt: Date | null,
  now: Date,
  attemptSubmitted: boolean,
): boolean {
  if (!attemptSubmitted) return false;
  if (policy === "after-attempt") return true;
  return dueAt !== null && now.getTime() >= dueAt.getTime();
}
