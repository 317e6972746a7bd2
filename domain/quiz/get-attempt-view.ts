import type { Db } from "@/db";
import { answerKeys, draftAnswersSchema, findOwnAttempt, shownQuestions, storedAnswers } from "@/db/queries/quiz/attempt-rows";
import { findQuizForUser } from "@/db/queries/quiz/find-lesson-quiz";
import { parseLayout } from "@/db/queries/quiz/quiz-rows";
import { NotFoundError } from "@/lib/errors";
import { answersReleased } from "./answer-release";
import type { AttemptQuestionView, AttemptView } from "./attempt-view";
import { shownChoiceIds, toShownChoiceIds } from "./choice-tokens";
import { closeExpiredAttempts } from "./close-expired-attempts";

/**
 * A student's own attempt as their browser may see it. An open attempt whose time ran out is
 * closed first. Choices, selections and the released key carry the attempt's opaque choice ids, in
 * the attempt's order; bank choice ids stay on the server. Answer keys and explanations are selected from the database only when the
 * attempt is submitted and the quiz's release policy allows it.
 * @throws NotFoundError for an attempt that does not exist or belongs to someone else.
 */
export async function getAttemptView(
  db: Db,
  input: { attemptId: string; userId: string; now?: Date },
): Promise<AttemptView> {
  const now = input.now ?? new Date();
  const head = await findOwnAttempt(db, input);
  if (!head) throw new NotFoundError("No such attempt.");
  await closeExpiredAttempts(db, { quizId: head.quizId, userId: input.userId, now });
  const quiz = await findQuizForUser(db, { userId: input.userId, quizId: head.quizId });
  // Read again: closing may just have submitted it.
  const attempt = await findOwnAttempt(db, input);
  if (!attempt) throw new NotFoundError("No such attempt.");

  const layout = parseLayout(attempt.layout);
  const ids = layout.map((item) => item.questionId);
  const submitted = attempt.submittedAt !== null;
  const released = answersReleased(quiz.settings.showAnswers, quiz.dueAt, now, submitted);

  const rows = await shownQuestions(db, quiz.id, ids);
  const keys = released ? await answerKeys(db, quiz.id, ids) : [];
  const answers = submitted ? await storedAnswers(db, attempt.id) : [];

  const byId = new Map(rows.map((r) => [r.id, r]));
  const keyById = new Map(keys.map((k) => [k.id, k]));
  const answerById = new Map(answers.map((a) => [a.questionId, a]));
  const questions: AttemptQuestionView[] = [];
  const draft: Record<string, string[]> = {};
  const savedDraft = submitted ? [] : (draftAnswersSchema.safeParse(attempt.draftAnswers).data ?? []);
  const draftById = new Map(savedDraft.map((a) => [a.questionId, a.selected]));
  for (const item of layout) {
    const row = byId.get(item.questionId);
    // A question removed from the bank after this attempt was drawn: nothing left to show.
    if (!row) continue;
    const choices = new Map(row.choices.map((c) => [c.id, c]));
    const shown = shownChoiceIds(item);
    const view: AttemptQuestionView = {
      id: row.id,
      kind: row.kind,
      prompt: row.prompt,
      points: row.points,
      choices: item.choiceOrder.flatMap((id, i) => {
        const choice = choices.get(id);
        return choice ? [{ id: shown[i]!, text: choice.text }] : [];
      }),
    };
    if (submitted) {
      const answer = answerById.get(row.id);
      const key = keyById.get(row.id);
      view.result = {
        // Stored answers and keys are bank ids; the page matches them against the ids it shows.
        selected: answer ? toShownChoiceIds(item, answer.selected) : [],
        credit: answer?.credit ?? 0,
        ...(key
          ? { correct: toShownChoiceIds(item, key.correct), explanation: key.explanation }
          : {}),
      };
    }
    const drafted = draftById.get(row.id);
    if (drafted) draft[row.id] = toShownChoiceIds(item, drafted);
    questions.push(view);
  }

  return {
    attemptId: attempt.id,
    quizId: quiz.id,
    quizTitle: quiz.title,
    attemptNumber: attempt.attemptNumber,
    attemptsAllowed: quiz.settings.attemptsAllowed,
    status: submitted ? "submitted" : "open",
    startedAt: attempt.startedAt.toISOString(),
    deadlineAt: attempt.deadlineAt?.toISOString() ?? null,
    submittedAt: attempt.submittedAt?.toISOString() ?? null,
    // A real submission stores one answer row per drawn question; only a time-out closes with none.
    expired: submitted && answers.length === 0,
    score: attempt.score,
    maxScore: attempt.maxScore ?? 0,
    answersReleased: released,
    answersReleaseAt: submitted && !released && quiz.dueAt ? quiz.dueAt.toISOString() : null,
    questions,
    draft,
  };
}
