import type { Db } from "@/db";
import { statisticsInput } from "@/db/queries/quiz/statistics-input";
import { itemStatistics, type ItemStatistics } from "./item-statistics";

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
  const { attempts: statsAttempts, questions: parsed } = await statisticsInput(db, input);
  const stats = itemStatistics(parsed, statsAttempts);
  const fractions = statsAttempts.filter((a) => a.maxScore > 0).map((a) => a.score / a.maxScore);

  return {
    attemptCount: statsAttempts.length,
    studentCount: new Set(statsAttempts.map((a) => a.userId)).size,
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
