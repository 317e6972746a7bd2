/**
 * What a student's browser receives about an attempt. While the attempt is open, questions carry
 * only their prompt and choices: the answer key and explanations are not even read from the
 * database (see getAttemptView), so they cannot leak into the page or the JSON.
 */
export interface AttemptQuestionView {
  id: string;
  kind: "single" | "multiple";
  prompt: string;
  points: number;
  /**
   * In the order this attempt shows them. `id` is this attempt's opaque id for the choice (see
   * choice-tokens.ts), not the bank's: it says nothing about which choice is right, and the same
   * choice has another id in every other attempt.
   */
  choices: { id: string; text: string }[];
  /** Present once submitted; choice ids as in `choices`. */
  result?: {
    selected: string[];
    credit: number;
    /** Present only once answers are released. */
    correct?: string[];
    explanation?: string;
  };
}

export interface AttemptView {
  attemptId: string;
  quizId: string;
  quizTitle: string;
  attemptNumber: number;
  attemptsAllowed: number;
  status: "open" | "submitted";
  startedAt: string;
  /** ISO time the attempt must be submitted by, or null when untimed. */
  deadlineAt: string | null;
  submittedAt: string | null;
  /** True when the time ran out and the attempt was closed without answers. */
  expired: boolean;
  score: number | null;
  maxScore: number;
  answersReleased: boolean;
  /** When answers are held back: the ISO time they will be shown. */
  answersReleaseAt: string | null;
  questions: AttemptQuestionView[];
  /** While open: the answers saved so far (a draft, see saveDraftAnswers), choice ids as in `choices`. */
  draft: Record<string, string[]>;
}
