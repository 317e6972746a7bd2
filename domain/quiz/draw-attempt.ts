import type { QuizSettings } from "@/assignments/content/quiz-schema";
import { SeededRandom } from "@/grader/random";

/** One drawn question and the order its choices are shown in. */
export interface LayoutItem {
  questionId: string;
  /** Bank choice ids, in the order this attempt shows them. Never sent to the browser. */
  choiceOrder: string[];
  /**
   * The opaque id the browser gets for each choice, parallel to `choiceOrder` (see
   * choice-tokens.ts). Absent on attempts drawn before issue 10, which were shown bank ids.
   */
  choiceTokens?: string[];
}

/** What an attempt shows, in order. Stored on the attempt row so grading never re-draws. */
export type AttemptLayout = LayoutItem[];

/** The parts of a bank question the draw needs (no answer key). */
export interface DrawableQuestion {
  id: string;
  topic: string;
  choices: readonly { id: string; pinned?: boolean }[];
}

/**
 * Shuffles a question's choices, except pinned ones, which keep their index from the bank ("All of
 * the above" stays last); the others are shuffled into the remaining places.
 */
export function shuffledChoiceIds(choices: readonly { id: string; pinned?: boolean }[], random: SeededRandom): string[] {
  const free = random.shuffle(choices.filter((c) => !c.pinned).map((c) => c.id));
  let next = 0;
  return choices.map((c) => (c.pinned ? c.id : free[next++]!));
}

/**
 * Draws an attempt: for each topic in `settings.questionsPerTopic`, that many questions at random;
 * then optionally shuffles question order and each question's choices. Deterministic in `seed`:
 * the same bank, settings and seed always give the same layout.
 *
 * The bank is sorted by id first so the draw does not depend on the order rows come back from
 * the database.
 */
export function drawAttempt(
  bank: readonly DrawableQuestion[],
  settings: Pick<QuizSettings, "questionsPerTopic" | "shuffleQuestions" | "shuffleChoices">,
  seed: number,
): AttemptLayout {
  // The grader's generator (mulberry32): the same seed gives the same draw on every platform.
  const random = new SeededRandom(seed);
  const byId = [...bank].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const drawn: DrawableQuestion[] = [];
  const topics = Object.keys(settings.questionsPerTopic).sort();
  for (const topic of topics) {
    const count = settings.questionsPerTopic[topic] ?? 0;
    const pool = byId.filter((q) => q.topic === topic);
    if (pool.length < count) {
      throw new Error(`Quiz bank has ${pool.length} questions in topic "${topic}" but the settings draw ${count}`);
    }
    const picked = new Set(random.shuffle([...pool]).slice(0, count));
    // Keep the bank's (id) order inside a topic; shuffleQuestions below decides the final order.
    drawn.push(...pool.filter((q) => picked.has(q)));
  }
  const ordered = settings.shuffleQuestions ? random.shuffle([...drawn]) : drawn;
  return ordered.map((q) => {
    const ids = q.choices.map((c) => c.id);
    return { questionId: q.id, choiceOrder: settings.shuffleChoices ? shuffledChoiceIds(q.choices, random) : ids };
  });
}
