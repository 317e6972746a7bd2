import type { Db } from "@/db";
import { findOwnAttempt, questionKinds, storeDraft, type DraftAnswers } from "@/db/queries/quiz/attempt-rows";
import { parseLayout } from "@/db/queries/quiz/quiz-rows";
import { NotFoundError } from "@/lib/errors";
import { isPastDeadline } from "./attempt-timing";
import { AttemptAlreadySubmittedError, TimeLimitPassedError } from "./quiz-errors";
import { validateAnswers, type SubmittedAnswers } from "./validate-answers";

/**
 * Saves an open attempt's answers so far (issue 14 §1: a reload must not lose them). They are
 * checked exactly like a submission — the attempt's opaque choice ids, mapped back to bank ids —
 * and replace the previous draft. Nothing is graded or final.
 * @throws NotFoundError (not the user's attempt), AttemptAlreadySubmittedError, TimeLimitPassedError,
 * InvalidAnswersError
 */
export async function saveDraftAnswers(
  db: Db,
  input: { attemptId: string; userId: string; answers: SubmittedAnswers; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const attempt = await findOwnAttempt(db, input);
  if (!attempt) throw new NotFoundError("No such attempt.");
  if (attempt.submittedAt !== null) throw new AttemptAlreadySubmittedError();
  if (attempt.deadlineAt && isPastDeadline(attempt.deadlineAt, now)) throw new TimeLimitPassedError(attempt.deadlineAt);
  const layout = parseLayout(attempt.layout);
  const kinds = await questionKinds(db, attempt.quizId, layout.map((item) => item.questionId));
  const questions = new Map(kinds.map((q) => [q.id, q]));
  const draft: DraftAnswers = validateAnswers(input.answers, layout, questions).filter((a) => a.selected.length > 0);
  await storeDraft(db, attempt.id, draft);
}
