import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db";
import { quizAnswers, quizAttempts, quizQuestions } from "@/db/schema";
import { choiceIdsSchema, choicesSchema, questionKindSchema } from "./quiz-rows";

/*
 * Reads and writes of one attempt and the questions it drew. The rules (deadlines, validation,
 * scoring, what a student may see) are in domain/quiz/; these only fetch and store rows.
 */

/** The stored form of a draft: bank choice ids per answered question, as a submission is stored. */
export const draftAnswersSchema = z.array(z.object({ questionId: z.string(), selected: z.array(z.string()) }));
export type DraftAnswers = z.infer<typeof draftAnswersSchema>;

/**
 * The user's own attempt row, or undefined when it does not exist or is someone else's.
 * `forUpdate` locks the row until the enclosing transaction ends.
 */
export async function findOwnAttempt(db: Db | Tx, input: { attemptId: string; userId: string }, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.id, input.attemptId), eq(quizAttempts.userId, input.userId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

const inQuiz = (quizId: string, questionIds: readonly string[]) =>
  and(eq(quizQuestions.quizId, quizId), inArray(quizQuestions.id, [...questionIds]));

/** The questions `questionIds` of a quiz with their answer key and weight, as scoring needs them. */
export async function scorableQuestions(db: Db | Tx, quizId: string, questionIds: readonly string[]) {
  const rows = await db
    .select({ id: quizQuestions.id, kind: quizQuestions.kind, choices: quizQuestions.choices, correct: quizQuestions.correct, points: quizQuestions.points })
    .from(quizQuestions)
    .where(inQuiz(quizId, questionIds));
  return rows.map((r) => ({
    id: r.id,
    kind: questionKindSchema.parse(r.kind),
    choices: choicesSchema.parse(r.choices),
    correct: choiceIdsSchema.parse(r.correct),
    points: r.points,
  }));
}

/** The questions `questionIds` of a quiz as a student sees them: no answer key, no explanation. */
export async function shownQuestions(db: Db, quizId: string, questionIds: readonly string[]) {
  const rows = await db
    .select({ id: quizQuestions.id, kind: quizQuestions.kind, prompt: quizQuestions.prompt, points: quizQuestions.points, choices: quizQuestions.choices })
    .from(quizQuestions)
    .where(inQuiz(quizId, questionIds));
  return rows.map((r) => ({ ...r, kind: questionKindSchema.parse(r.kind), choices: choicesSchema.parse(r.choices) }));
}

/** The kind of each of the questions `questionIds` (enough to validate answers). */
export async function questionKinds(db: Db, quizId: string, questionIds: readonly string[]) {
  const rows = await db.select({ id: quizQuestions.id, kind: quizQuestions.kind }).from(quizQuestions).where(inQuiz(quizId, questionIds));
  return rows.map((r) => ({ id: r.id, kind: questionKindSchema.parse(r.kind) }));
}

/** Right answers and explanations of the questions `questionIds`: read only once they may be shown. */
export async function answerKeys(db: Db, quizId: string, questionIds: readonly string[]) {
  const rows = await db
    .select({ id: quizQuestions.id, correct: quizQuestions.correct, explanation: quizQuestions.explanation })
    .from(quizQuestions)
    .where(inQuiz(quizId, questionIds));
  return rows.map((r) => ({ ...r, correct: choiceIdsSchema.parse(r.correct) }));
}

/** The answers recorded for a submitted attempt (none for one closed by its time limit). */
export async function storedAnswers(db: Db | Tx, attemptId: string) {
  const rows = await db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attemptId));
  return rows.map((r) => ({ questionId: r.questionId, selected: choiceIdsSchema.parse(r.selected), credit: r.credit }));
}

/** Replaces an open attempt's draft. Guarded on submitted_at: a submission that won the race is never followed by a stale draft. */
export async function storeDraft(db: Db, attemptId: string, draft: DraftAnswers): Promise<void> {
  await db
    .update(quizAttempts)
    .set({ draftAnswers: draft })
    .where(and(eq(quizAttempts.id, attemptId), isNull(quizAttempts.submittedAt)));
}

/**
 * Records a graded submission: one answer row per graded question and the attempt's score, the
 * update guarded on `submitted_at is null`. Run it inside the transaction that locked the attempt.
 * @throws Error when the attempt was submitted meanwhile (it cannot be, while locked).
 */
export async function recordSubmission(
  tx: Tx,
  input: {
    attemptId: string;
    submittedAt: Date;
    score: number;
    maxScore: number;
    answers: readonly { questionId: string; selected: string[]; isCorrect: boolean; credit: number }[];
  },
): Promise<void> {
  if (input.answers.length > 0) {
    await tx.insert(quizAnswers).values(
      input.answers.map((a) => ({
        attemptId: input.attemptId,
        questionId: a.questionId,
        selected: a.selected,
        isCorrect: a.isCorrect,
        credit: a.credit,
      })),
    );
  }
  const updated = await tx
    .update(quizAttempts)
    .set({ submittedAt: input.submittedAt, score: input.score, maxScore: input.maxScore })
    .where(and(eq(quizAttempts.id, input.attemptId), isNull(quizAttempts.submittedAt)))
    .returning({ id: quizAttempts.id });
  if (updated.length !== 1) throw new Error(`[quiz] attempt ${input.attemptId} changed while locked`);
}
