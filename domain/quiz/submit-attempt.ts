import type { Db } from "@/db";
import { findOwnAttempt, recordSubmission, scorableQuestions, storedAnswers } from "@/db/queries/quiz/attempt-rows";
import { parseLayout } from "@/db/queries/quiz/quiz-rows";
import { NotFoundError } from "@/lib/errors";
import { isPastDeadline } from "./attempt-timing";
import { closeExpiredAttempts } from "./close-expired-attempts";
import { AttemptAlreadySubmittedError, TimeLimitPassedError } from "./quiz-errors";
import { scoreAnswer } from "./score-answer";
import { validateAnswers, type SubmittedAnswers } from "./validate-answers";
import { notifyScoreChange } from "@/domain/lti/score-change";

export interface SubmitResult {
  attemptId: string;
  score: number;
  maxScore: number;
  /** False when this was a repeat of a submission already recorded (nothing changed). */
  recorded: boolean;
}

function sameSelections(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((id, i) => id === sortedB[i]);
}

/**
 * Grades and records a student's attempt, on the server, in one transaction.
 *
 * - Repeating a submission with the same answers returns the recorded result and changes nothing
 *   (a retried request or a double click is harmless); different answers for a submitted attempt
 *   are refused, because a submitted attempt is final.
 * - A submission after the deadline (plus SUBMIT_GRACE_MS) is refused, and the attempt is closed.
 * - Answers for questions outside the attempt, or choices outside a question, are refused whole.
 *
 * The attempt row is locked (`for update`) and the final update is guarded on `submitted_at is
 * null`, so two concurrent submissions record exactly one result.
 * @throws NotFoundError, AttemptAlreadySubmittedError, TimeLimitPassedError, InvalidAnswersError
 */
export async function submitAttempt(
  db: Db,
  input: { attemptId: string; userId: string; answers: SubmittedAnswers; now?: Date },
): Promise<SubmitResult> {
  const now = input.now ?? new Date();
  const outcome = await db.transaction(async (tx) => {
    const attempt = await findOwnAttempt(tx, input, { forUpdate: true });
    if (!attempt) throw new NotFoundError("No such attempt.");
    const layout = parseLayout(attempt.layout);
    const rows = await scorableQuestions(
      tx,
      attempt.quizId,
      layout.map((item) => item.questionId),
    );
    const questions = new Map(rows.map((r) => [r.id, r]));
    const answers = validateAnswers(input.answers, layout, questions);

    if (attempt.submittedAt !== null) {
      const stored = await storedAnswers(tx, attempt.id);
      if (stored.length === 0) return { kind: "expired" as const, deadline: attempt.deadlineAt ?? attempt.submittedAt };
      const storedById = new Map(stored.map((a) => [a.questionId, a.selected]));
      const same = answers.every((a) => sameSelections(a.selected, storedById.get(a.questionId) ?? []));
      if (!same) throw new AttemptAlreadySubmittedError();
      return {
        kind: "done" as const,
        result: { attemptId: attempt.id, score: attempt.score ?? 0, maxScore: attempt.maxScore ?? 0, recorded: false },
      };
    }
    if (isPastDeadline(attempt.deadlineAt, now)) {
      return { kind: "expired" as const, deadline: attempt.deadlineAt! };
    }

    // Questions deleted from the bank since the draw are skipped: they neither earn nor cost points.
    const graded = answers.flatMap((a) => {
      const question = questions.get(a.questionId);
      return question ? [{ ...a, ...scoreAnswer(question, a.selected) }] : [];
    });
    const score = Math.round(graded.reduce((sum, g) => sum + g.points, 0) * 1e6) / 1e6;
    const maxScore = graded.reduce((sum, g) => sum + g.maxPoints, 0);
    await recordSubmission(tx, { attemptId: attempt.id, submittedAt: now, score, maxScore, answers: graded });
    return { kind: "done" as const, result: { attemptId: attempt.id, score, maxScore, recorded: true }, quizId: attempt.quizId };
  });

  if (outcome.kind === "expired") {
    // Outside the transaction above, which only read: closing must persist although we refuse.
    const attempt = await findOwnAttempt(db, input);
    if (attempt) await closeExpiredAttempts(db, { quizId: attempt.quizId, userId: input.userId, now });
    throw new TimeLimitPassedError(outcome.deadline);
  }
  // Committed: the quiz's best score may have changed (LMS grade passback).
  const quizId = "quizId" in outcome ? outcome.quizId : undefined;
  if (quizId) await notifyScoreChange({ kind: "quiz", quizId, userId: input.userId, changedAt: now });
  return outcome.result;
}
