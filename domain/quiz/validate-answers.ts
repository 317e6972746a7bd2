import { z } from "zod";
import { toBankChoiceIds } from "./choice-tokens";
import type { AttemptLayout } from "./draw-attempt";
import { InvalidAnswersError } from "./quiz-errors";

/**
 * The body of a submission: chosen choice ids (the attempt's opaque ids) per question id. Questions left out count as
 * unanswered. Sizes are bounded so a hostile payload cannot make the server do much work.
 */
export const submitAnswersSchema = z
  .object({
    answers: z.record(z.string().min(1).max(64), z.array(z.string().min(1).max(16)).max(8)),
  })
  .strict();

export type SubmittedAnswers = z.infer<typeof submitAnswersSchema>["answers"];

/** What validation needs to know about each question of the attempt. */
export interface AnswerableQuestion {
  id: string;
  kind: "single" | "multiple";
}

/**
 * Checks answers against the attempt they are for: every question must be in the attempt, every
 * choice must be one of the ids this attempt showed for its question, a choice may be picked once,
 * and a single-answer question takes at most one pick. Returns the answers in layout order, as
 * sorted bank choice ids (what scoring and the statistics use), unanswered ones as `[]`.
 * @throws InvalidAnswersError listing every problem with its `answers.<questionId>` path.
 */
export function validateAnswers(
  answers: SubmittedAnswers,
  layout: AttemptLayout,
  questions: ReadonlyMap<string, AnswerableQuestion>,
): { questionId: string; selected: string[] }[] {
  const issues: { path: string; message: string }[] = [];
  const inLayout = new Map(layout.map((item) => [item.questionId, item]));
  for (const questionId of Object.keys(answers)) {
    if (!inLayout.has(questionId)) {
      issues.push({ path: `answers.${questionId}`, message: "this question is not part of this attempt" });
    }
  }
  const result = layout.map((item) => {
    const selected = answers[item.questionId] ?? [];
    const path = `answers.${item.questionId}`;
    const { bankIds, unknown } = toBankChoiceIds(item, selected);
    if (unknown.length > 0) {
      issues.push({ path, message: `not a choice of this question: ${unknown.join(", ")}` });
    }
    if (new Set(selected).size !== selected.length) {
      issues.push({ path, message: "a choice is selected more than once" });
    }
    if (questions.get(item.questionId)?.kind === "single" && selected.length > 1) {
      issues.push({ path, message: "this question takes a single answer" });
    }
    return { questionId: item.questionId, selected: bankIds.sort() };
  });
  if (issues.length > 0) throw new InvalidAnswersError(issues);
  return result;
}
