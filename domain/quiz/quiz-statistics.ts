import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAnswers, quizAttempts, quizQuestions } from "@/db/schema";
import { itemStatistics, type ItemStatistics, type StatsAttempt } from "@/domain/quiz/item-statistics";
import { choiceIdsSchema, choicesSchema } from "./quiz-rows";

export interface QuestionStatisticsRow extends ItemStatistics {
  topic: string;
  kind: string;
  prompt: string;
  choices: { id: string; text: string }[];
}

export interface QuizStatistics {
  /** Submitted attempts with answers (time-outs closed without answers are left out). */
  attemptCount: number;
  studentCount: number;
  /** Mean score as a fraction of the maximum, over those attempts. */
  meanFraction: number | null;
  questions: QuestionStatisticsRow[];
}

/**
 * Item analysis over the submitted attempts of a quiz: per question facility, discrimination
 * index (top vs bottom third) and the distribution of chosen options.
 * `firstAttemptsOnly` restricts it to each student's first attempt, which is what item analysis
 * usually wants: later attempts are taken by students who have already seen the questions.
 */
export async function quizStatistics(
  db: Db,
  input: { quizId: string; firstAttemptsOnly?: boolean },
): Promise<QuizStatistics> {
  const conditions = [eq(quizAttempts.quizId, input.quizId), isNotNull(quizAttempts.submittedAt)];
  if (input.firstAttemptsOnly) conditions.push(eq(quizAttempts.attemptNumber, 1));
  const attempts = await db
    .select({
      id: quizAttempts.id,
      userId: quizAttempts.userId,
      score: quizAttempts.score,
      maxScore: quizAttempts.maxScore,
    })
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
  const answersByAttempt = new Map<string, StatsAttempt["answers"]>();
  for (const a of answers) {
    const list = answersByAttempt.get(a.attemptId) ?? [];
    list.push({ questionId: a.questionId, selected: choiceIdsSchema.parse(a.selected), credit: a.credit });
    answersByAttempt.set(a.attemptId, list);
  }
  const statsAttempts: StatsAttempt[] = attempts
    .filter((a) => answersByAttempt.has(a.id))
    .map((a) => ({
      attemptId: a.id,
      score: a.score ?? 0,
      maxScore: a.maxScore ?? 0,
      answers: answersByAttempt.get(a.id)!,
    }));

  const bank = await db
    .select()
    .from(quizQuestions)
    .where(eq(quizQuestions.quizId, input.quizId))
    .orderBy(asc(quizQuestions.topic), asc(quizQuestions.id));
  const parsed = bank.map((q) => ({
    ...q,
    choices: choicesSchema.parse(q.choices),
    correct: choiceIdsSchema.parse(q.correct),
  }));
  const stats = itemStatistics(parsed, statsAttempts);
  const fractions = statsAttempts.filter((a) => a.maxScore > 0).map((a) => a.score / a.maxScore);

  return {
    attemptCount: statsAttempts.length,
    studentCount: new Set(attempts.filter((a) => answersByAttempt.has(a.id)).map((a) => a.userId)).size,
    meanFraction:
      fractions.length > 0 ? Math.round((fractions.reduce((x, y) => x + y, 0) / fractions.length) * 1e4) / 1e4 : null,
    questions: parsed.map((q, i) => ({
      ...stats[i]!,
      topic: q.topic,
      kind: q.kind,
      prompt: q.prompt,
      choices: q.choices,
    })),
  };
}
