import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { quizAttempts, quizQuestions } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { isPastDeadline } from "@/domain/quiz/attempt-timing";
import { AttemptAlreadySubmittedError, TimeLimitPassedError } from "@/domain/quiz/quiz-errors";
import { validateAnswers, type SubmittedAnswers } from "@/domain/quiz/validate-answers";
import { parseLayout, questionKindSchema } from "./quiz-rows";

/** The stored form of a draft: bank choice ids per answered question, as a submission is stored. */
export const draftAnswersSchema = z.array(z.object({ questionId: z.string(), selected: z.array(z.string()) }));
export type DraftAnswers = z.infer<typeof draftAnswersSchema>;

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
  const [attempt] = await db
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.id, input.attemptId), eq(quizAttempts.userId, input.userId)));
  if (!attempt) throw new NotFoundError("No such attempt.");
  if (attempt.submittedAt !== null) throw new AttemptAlreadySubmittedError();
  if (attempt.deadlineAt && isPastDeadline(attempt.deadlineAt, now)) throw new TimeLimitPassedError(attempt.deadlineAt);
  const layout = parseLayout(attempt.layout);
  const rows = await db
    .select({ id: quizQuestions.id, kind: quizQuestions.kind })
    .from(quizQuestions)
    .where(and(eq(quizQuestions.quizId, attempt.quizId), inArray(quizQuestions.id, layout.map((item) => item.questionId))));
  const questions = new Map(rows.map((r) => [r.id, { id: r.id, kind: questionKindSchema.parse(r.kind) }]));
  const draft: DraftAnswers = validateAnswers(input.answers, layout, questions).filter((a) => a.selected.length > 0);
  // Guarded on submitted_at: a submission that won the race is never followed by a stale draft.
  await db
    .update(quizAttempts)
    .set({ draftAnswers: draft })
    .where(and(eq(quizAttempts.id, attempt.id), isNull(quizAttempts.submittedAt)));
}
