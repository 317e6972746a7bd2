import type { Db } from "@/db";
import { findQuizForUser } from "@/db/queries/quiz/find-lesson-quiz";
import { countAttempts, findOpenAttempt, insertAttempt, quizBank, type StartedAttempt } from "@/db/queries/quiz/insert-attempt";
import { attemptDeadline } from "./attempt-timing";
import { withChoiceTokens } from "./choice-tokens";
import { closeExpiredAttempts } from "./close-expired-attempts";
import { drawAttempt } from "./draw-attempt";
import { AttemptLimitReachedError } from "./quiz-errors";

export type { StartedAttempt };

/** A fresh attempt seed: a random non-negative 31-bit integer (fits Postgres `integer`). */
function newAttemptSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1;
}

/**
 * Starts an attempt for a student, or returns the one they already have in progress (so a double
 * click or a second tab never burns an attempt). Expired open attempts are closed first.
 * The draw is seeded per attempt and stored, with a random opaque id per choice, so the attempt
 * shows and grades the same questions, in the same order under the same ids, however often it is
 * loaded.
 * @throws NotFoundError when the user is not enrolled in the quiz's course.
 * @throws AttemptLimitReachedError when every allowed attempt is used.
 */
export async function startAttempt(
  db: Db,
  input: { quizId: string; userId: string; now?: Date; seed?: number },
): Promise<StartedAttempt> {
  const now = input.now ?? new Date();
  const quiz = await findQuizForUser(db, input);
  await closeExpiredAttempts(db, { quizId: quiz.id, userId: input.userId, now });

  const bank = await quizBank(db, quiz.id);
  const seed = input.seed ?? newAttemptSeed();
  // The browser knows the choices only by these per-attempt tokens, never by their bank ids.
  const layout = withChoiceTokens(drawAttempt(bank, quiz.settings, seed));
  const points = new Map(bank.map((q) => [q.id, q.points]));
  const maxScore = layout.reduce((sum, item) => sum + (points.get(item.questionId) ?? 0), 0);

  // Count first, then look for an open attempt: a racing start that inserted before the count is
  // then seen as open, and one that inserts after it takes the same attempt number, so the two
  // collide on the unique (quiz, user, number) index and the loser returns the winner's attempt.
  // (Looking first let a start insert between the look and the count, and both got an attempt.)
  const used = await countAttempts(db, quiz.id, input.userId);
  const open = await findOpenAttempt(db, quiz.id, input.userId);
  if (open) return { attemptId: open.id, attemptNumber: open.attemptNumber, created: false };
  if (used >= quiz.settings.attemptsAllowed) throw new AttemptLimitReachedError(quiz.settings.attemptsAllowed);

  return insertAttempt(db, {
    quizId: quiz.id,
    userId: input.userId,
    attemptNumber: used + 1,
    seed,
    layout,
    startedAt: now,
    deadlineAt: attemptDeadline(now, quiz.settings.timeLimitMinutes),
    maxScore,
  });
}
