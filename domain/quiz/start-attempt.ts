import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAttempts, quizQuestions } from "@/db/schema";
import { drawAttempt } from "@/domain/quiz/draw-attempt";
import { withChoiceTokens } from "@/domain/quiz/choice-tokens";
import { attemptDeadline } from "@/domain/quiz/attempt-timing";
import { newAttemptSeed } from "@/lib/seeded-random";
import { AttemptLimitReachedError } from "@/domain/quiz/quiz-errors";
import { closeExpiredAttempts } from "./close-expired-attempts";
import { findQuizForUser } from "./find-lesson-quiz";
import { choicesSchema } from "./quiz-rows";

export interface StartedAttempt {
  attemptId: string;
  attemptNumber: number;
  /** False when an attempt already in progress was returned instead of a new one. */
  created: boolean;
}

/** Postgres unique_violation: two starts raced for the same attempt number. */
const UNIQUE_VIOLATION = "23505";

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
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

  const mine = and(eq(quizAttempts.quizId, quiz.id), eq(quizAttempts.userId, input.userId));
  const findOpen = async () =>
    (
      await db
        .select({ id: quizAttempts.id, attemptNumber: quizAttempts.attemptNumber })
        .from(quizAttempts)
        .where(and(mine, isNull(quizAttempts.submittedAt)))
        .limit(1)
    )[0];

  // Drawn before looking for an open attempt, so the window between counting attempts and inserting
  // one stays two short queries: two racing starts then collide on the attempt number (below).
  const bankRows = await db
    .select({ id: quizQuestions.id, topic: quizQuestions.topic, choices: quizQuestions.choices, points: quizQuestions.points })
    .from(quizQuestions)
    .where(eq(quizQuestions.quizId, quiz.id));
  const bank = bankRows.map((row) => ({ ...row, choices: choicesSchema.parse(row.choices) }));
  const seed = input.seed ?? newAttemptSeed();
  // The browser knows the choices only by these per-attempt tokens, never by their bank ids.
  const layout = withChoiceTokens(drawAttempt(bank, quiz.settings, seed));
  const points = new Map(bank.map((q) => [q.id, q.points]));
  const maxScore = layout.reduce((sum, item) => sum + (points.get(item.questionId) ?? 0), 0);

  const open = await findOpen();
  if (open) return { attemptId: open.id, attemptNumber: open.attemptNumber, created: false };

  const [{ used }] = (await db.select({ used: count() }).from(quizAttempts).where(mine)) as [{ used: number }];
  if (used >= quiz.settings.attemptsAllowed) throw new AttemptLimitReachedError(quiz.settings.attemptsAllowed);


  try {
    const [row] = await db
      .insert(quizAttempts)
      .values({
        quizId: quiz.id,
        userId: input.userId,
        attemptNumber: used + 1,
        seed,
        layout,
        startedAt: now,
        deadlineAt: attemptDeadline(now, quiz.settings.timeLimitMinutes),
        maxScore,
      })
      .returning({ id: quizAttempts.id, attemptNumber: quizAttempts.attemptNumber });
    return { attemptId: row!.id, attemptNumber: row!.attemptNumber, created: true };
  } catch (error) {
    // A concurrent start won the race for this attempt number: hand back the attempt it made.
    if (!isUniqueViolation(error)) throw error;
    const raced = await findOpen();
    if (!raced) throw error;
    return { attemptId: raced.id, attemptNumber: raced.attemptNumber, created: false };
  }
}
