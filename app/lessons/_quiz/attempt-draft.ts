import { z } from "zod";
import type { AttemptView } from "@/app/_lib/quiz/attempt-view";

/** Selected choices per question, under the attempt's own opaque choice ids (choice-tokens.ts). */
export type Answers = Record<string, string[]>;

/**
 * An open attempt's answers, kept in this browser's localStorage as the student picks them, so a
 * reload (or a closed tab) does not lose them before the attempt is submitted (issue 14 §1). Only
 * the ids this attempt showed are stored: they mean nothing in another attempt, and the server maps
 * them back to bank ids on submission as it does for any answer.
 */
const draftSchema = z.object({
  attemptId: z.string(),
  answers: z.record(z.string(), z.array(z.string()).max(32)),
});

const key = (attemptId: string) => `tensorgrade:quiz-draft:${attemptId}`;

/**
 * The saved answers of this attempt, keeping only questions and choices it has (a draft edited by
 * hand, or from an older page, cannot put foreign ids into a submission).
 */
export function readDraft(view: AttemptView): Answers {
  let raw: unknown;
  try {
    raw = JSON.parse(window.localStorage.getItem(key(view.attemptId)) ?? "null");
  } catch {
    return {};
  }
  const parsed = draftSchema.safeParse(raw);
  if (!parsed.success || parsed.data.attemptId !== view.attemptId) return {};
  const answers: Answers = {};
  for (const q of view.questions) {
    const shown = new Set(q.choices.map((c) => c.id));
    const picked = [...new Set(parsed.data.answers[q.id] ?? [])].filter((id) => shown.has(id));
    if (picked.length > 0) answers[q.id] = q.kind === "single" ? picked.slice(0, 1) : picked;
  }
  return answers;
}

/** Saves the answers; a browser that refuses storage (private mode, full) only loses the draft. */
export function saveDraft(attemptId: string, answers: Answers): void {
  try {
    window.localStorage.setItem(key(attemptId), JSON.stringify({ attemptId, answers }));
  } catch {
    // Nothing to do: the answers are still in the page.
  }
}

export function clearDraft(attemptId: string): void {
  try {
    window.localStorage.removeItem(key(attemptId));
  } catch {
    // As in saveDraft.
  }
}
