/** What scoring needs from a bank question: its kind, its answer key and its weight. */
export interface ScorableQuestion {
  id: string;
  kind: "single" | "multiple";
  choices: readonly { id: string }[];
  correct: readonly string[];
  points: number;
}

export interface AnswerScore {
  /** Fraction of the question's points earned, 0…1. */
  credit: number;
  /** True only for a fully right answer (credit 1). */
  isCorrect: boolean;
  points: number;
  maxPoints: number;
}

/**
 * Scores one answer.
 *
 * Single-answer: full credit for the correct choice, nothing otherwise.
 *
 * Multiple-answer (the partial-credit rule, stated in assignments/lesson-6/README.md): with `k`
 * correct choices among `n`, each correct choice selected earns 1/k and each wrong choice selected
 * costs 1/(n−k); the total is floored at 0. So the exact right set earns 1, half of it earns ½,
 * the right set plus one of two wrong choices earns ½, and ticking every box always earns 0 —
 * guessing everything is never rewarded.
 *
 * `selected` must already be validated against the question's choices (see validateAnswers).
 */
export function scoreAnswer(question: ScorableQuestion, selected: readonly string[]): AnswerScore {
  const picked = new Set(selected);
  const correct = new Set(question.correct);
  let credit: number;
  if (question.kind === "single") {
    credit = picked.size === 1 && correct.has([...picked][0]!) ? 1 : 0;
  } else {
    let hits = 0;
    let falseAlarms = 0;
    for (const id of picked) {
      if (correct.has(id)) hits++;
      else falseAlarms++;
    }
    const wrongChoices = question.choices.length - correct.size;
    credit = Math.max(0, hits / correct.size - (wrongChoices > 0 ? falseAlarms / wrongChoices : 0));
  }
  // Round away float noise (1/3 + 1/3 + 1/3) so "fully correct" is exactly 1; points come from the
  // unrounded credit so 2/3 of 3 points is 2, not 2.000001.
  const rounded = Math.round(credit * 1e6) / 1e6;
  return {
    credit: rounded,
    isCorrect: rounded === 1,
    points: Math.round(credit * question.points * 1e6) / 1e6,
    maxPoints: question.points,
  };
}
