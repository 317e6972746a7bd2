/** A submitted attempt as the statistics see it: its total and the answer to each drawn question. */
export interface StatsAttempt {
  attemptId: string;
  score: number;
  maxScore: number;
  /** One entry per question drawn in the attempt (unanswered ones with `selected: []`). */
  answers: { questionId: string; selected: readonly string[]; credit: number }[];
}

export interface StatsQuestion {
  id: string;
  choices: readonly { id: string }[];
  correct: readonly string[];
}

export interface OptionCount {
  choiceId: string;
  correct: boolean;
  /** Attempts that selected this choice. */
  count: number;
  /** count / attempts that drew the question. */
  proportion: number;
}

export interface ItemStatistics {
  questionId: string;
  /** Attempts in which this question was drawn. */
  attempts: number;
  /** Mean credit (0…1) over those attempts: the proportion answering correctly, partial credit counted. */
  facility: number | null;
  /**
   * Mean credit of the top third of those attempts (by total score) minus that of the bottom
   * third, in −1…1. Null with fewer than three attempts, where there is no third to compare.
   */
  discrimination: number | null;
  /** Size of each third used for the discrimination index. */
  groupSize: number;
  options: OptionCount[];
  /** Attempts that drew the question and selected nothing. */
  unanswered: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Per-question statistics in the manner of Moodle's quiz statistics report.
 *
 * Because each attempt draws its own questions, every figure for a question is computed over the
 * attempts that drew it. Attempts are ranked by total score as a fraction of their maximum; equal
 * fractions are ordered by attempt id, so the thirds — and the index — are deterministic.
 *
 * @see https://docs.moodle.org/en/Quiz_statistics_calculations
 */
export function itemStatistics(
  questions: readonly StatsQuestion[],
  attempts: readonly StatsAttempt[],
): ItemStatistics[] {
  const fraction = (a: StatsAttempt) => (a.maxScore > 0 ? a.score / a.maxScore : 0);
  const ranked = [...attempts].sort(
    (a, b) => fraction(b) - fraction(a) || (a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0),
  );
  return questions.map((question) => {
    const answers = ranked.flatMap((a) => a.answers.filter((x) => x.questionId === question.id));
    const n = answers.length;
    const groupSize = Math.floor(n / 3);
    const credits = answers.map((a) => a.credit);
    const options = question.choices.map((choice) => {
      const count = answers.filter((a) => a.selected.includes(choice.id)).length;
      return {
        choiceId: choice.id,
        correct: question.correct.includes(choice.id),
        count,
        proportion: n > 0 ? round4(count / n) : 0,
      };
    });
    return {
      questionId: question.id,
      attempts: n,
      facility: n > 0 ? round4(mean(credits)) : null,
      discrimination:
        groupSize > 0 ? round4(mean(credits.slice(0, groupSize)) - mean(credits.slice(n - groupSize))) : null,
      groupSize,
      options,
      unanswered: answers.filter((a) => a.selected.length === 0).length,
    };
  });
}
