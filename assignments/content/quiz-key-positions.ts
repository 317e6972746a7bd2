/**
 * The content check that keeps a quiz bank's answer key from being guessable by position.
 *
 * Attempts shuffle choices and show opaque ids, but the file order is still what students see
 * when a quiz turns `shuffleChoices` off, and always for pinned choices; and a bank written with
 * every key first (Lesson 6's was, until issue 10) is one settings change away from a quiz that
 * "first option everywhere" passes. So the build refuses a bank whose keys sit predictably:
 *
 * - single-answer keys: no position may hold more than half of them (with 4 or more such
 *   questions), and 2 or 3 such questions may not all have their key in the same position;
 * - multiple-answer keys: with 2 or more such questions, no more than half of the keys may be a
 *   prefix of the choice list (`a,b`, `a,b,c` in file order).
 *
 * Fewer questions than that say nothing about a pattern, so tiny banks (test fixtures) pass.
 */

/** The parts of a bank question the check reads. */
export interface KeyedQuestion {
  id: string;
  kind: "single" | "multiple";
  choices: readonly { id: string }[];
  correct: readonly string[];
}

export interface KeyPositionIssue {
  path: (string | number)[];
  message: string;
}

/** From this many single-answer questions on, the "more than half in one position" rule applies. */
export const MIN_SINGLE_FOR_HALF_RULE = 4;
/** From this many single-answer questions on, "all keys in one position" is refused. */
export const MIN_SINGLE_FOR_ALL_SAME_RULE = 2;
/** From this many multiple-answer questions on, the prefix rule applies. */
export const MIN_MULTIPLE_FOR_PREFIX_RULE = 2;

const ordinal = (n: number) => {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
};

const listed = (ids: readonly string[]) => (ids.length <= 6 ? ids.join(", ") : `${ids.slice(0, 6).join(", ")}, …`);

/** Problems with where the keys of `questions` sit; empty when the bank passes. */
export function keyPositionIssues(questions: readonly KeyedQuestion[]): KeyPositionIssue[] {
  const issues: KeyPositionIssue[] = [];

  const singles = questions
    .filter((q) => q.kind === "single" && q.correct.length === 1)
    .map((q) => ({ id: q.id, position: q.choices.findIndex((c) => c.id === q.correct[0]) }))
    .filter((q) => q.position >= 0);
  const byPosition = new Map<number, string[]>();
  for (const q of singles) byPosition.set(q.position, [...(byPosition.get(q.position) ?? []), q.id]);
  for (const [position, ids] of [...byPosition].sort((a, b) => a[0] - b[0])) {
    const n = singles.length;
    const overHalf = n >= MIN_SINGLE_FOR_HALF_RULE && ids.length > n / 2;
    const allSame = n >= MIN_SINGLE_FOR_ALL_SAME_RULE && n < MIN_SINGLE_FOR_HALF_RULE && ids.length === n;
    if (overHalf || allSame) {
      issues.push({
        path: ["questions"],
        message:
          `${ids.length} of ${n} single-answer keys are the ${ordinal(position + 1)} choice (${listed(ids)}), so answering ` +
          `by position would pass; ${overHalf ? `at most ${Math.floor(n / 2)} may share a position` : "they may not all share one position"}. ` +
          "Reorder those questions' choices in the file (choice ids stay as they are).",
      });
    }
  }

  const multiples = questions.filter((q) => q.kind === "multiple");
  const prefixes = multiples.filter((q) => {
    const leading = new Set(q.choices.slice(0, q.correct.length).map((c) => c.id));
    return q.correct.every((id) => leading.has(id));
  });
  if (multiples.length >= MIN_MULTIPLE_FOR_PREFIX_RULE && prefixes.length > multiples.length / 2) {
    issues.push({
      path: ["questions"],
      message:
        `${prefixes.length} of ${multiples.length} multiple-answer keys are the first choices in the file ` +
        `(${listed(prefixes.map((q) => q.id))}); at most ${Math.floor(multiples.length / 2)} may be. ` +
        "Reorder those questions' choices in the file (choice ids stay as they are).",
    });
  }
  return issues;
}
