import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAnswers, quizAttempts, quizQuestions } from "@/db/schema";
import { choiceIdsSchema, choicesSchema } from "./quiz-rows";

/** A submitted attempt with the answers it recorded (bank choice ids). */
export interface AnsweredAttempt {
  attemptId: string;
  userId: string;
  score: number;
  maxScore: number;
  answers: { questionId: string; selected: string[]; credit: number }[];
}

/**
 * What item analysis reads: the quiz's submitted attempts that recorded answers (time-outs closed
 * without answers are left out), only first attempts when `firstAttemptsOnly`, and the whole bank
 * with its answer key, by topic and id.
 */
export async function statisticsInput(db: Db, input: { quizId: string; firstAttemptsOnly?: boolean }) {
  const conditions = [eq(quizAttempts.quizId, input.quizId), isNotNull(quizAttempts.submittedAt)];
  if (input.firstAttemptsOnly) conditions.push(eq(quizAttempts.attemptNumber, 1));
  const attempts = await db
    .select({ id: quizAttempts.id, userId: quizAttempts.userId, score: quizAttempts.score, maxScore: quizAttempts.maxScore })
    .from(quizAttempts)
    .where(and(...conditions));
  const answers =
    attempts.length === 0
      ? []
      : await db
          .select()
          .from(quizAnswers)
          .where(
            inArray(
              quizAnswers.attemptId,
              attempts.map((a) => a.id),
            ),
          );
  const answersByAttempt = new Map<string, AnsweredAttempt["answers"]>();
  for (const a of answers) {
    const list = answersByAttempt.get(a.attemptId) ?? [];
    list.push({ questionId: a.questionId, selected: choiceIdsSchema.parse(a.selected), credit: a.credit });
    answersByAttempt.set(a.attemptId, list);
  }
  const answered: AnsweredAttempt[] = attempts
    .filter((a) => answersByAttempt.has(a.id))
    .map((a) => ({ attemptId: a.id, userId: a.userId, score: a.score ?? 0, maxScore: a.maxScore ?? 0, answers: answersByAttempt.get(a.id)! }));

  const bank = await db
    .select()
    .from(quizQuestions)
    .where(eq(quizQuestions.quizId, input.quizId))
    .orderBy(asc(quizQuestions.topic), asc(quizQuestions.id));
  const questions = bank.map((q) => ({ ...q, choices: choicesSchema.parse(q.choices), correct: choiceIdsSchema.parse(q.correct) }));
  return { attempts: answered, questions };
}
