import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAnswers, quizAttempts, quizQuestions } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { answersReleased } from "@/domain/quiz/answer-release";
import type { AttemptQuestionView, AttemptView } from "@/domain/quiz/attempt-view";
import { shownChoiceIds, toShownChoiceIds } from "@/domain/quiz/choice-tokens";
import { closeExpiredAttempts } from "./close-expired-attempts";
import { findQuizForUser } from "./find-lesson-quiz";
import { choiceIdsSchema, choicesSchema, parseLayout, questionKindSchema } from "./quiz-rows";
import { draftAnswersSchema } from "./save-draft-answers";

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
  const owned = and(eq(quizAttempts.id, input.attemptId), eq(quizAttempts.userId, input.userId));
  const [head] = await db.select({ quizId: quizAttempts.quizId }).from(quizAttempts).where(owned);
  if (!head) throw new NotFoundError("No such attempt.");
  await closeExpiredAttempts(db, { quizId: head.quizId, userId: input.userId, now });
  const quiz = await findQuizForUser(db, { userId: input.userId, quizId: head.quizId });
  const [attempt] = await db.select().from(quizAttempts).where(owned);
  if (!attempt) throw new NotFoundError("No such attempt.");

  const layout = parseLayout(attempt.layout);
  const ids = layout.map((item) => item.questionId);
  const submitted = attempt.submittedAt !== null;
  const released = answersReleased(quiz.settings.showAnswers, quiz.dueAt, now, submitted);

  const rows = await db
    .select({
      id: quizQuestions.id,
      kind: quizQuestions.kind,
      prompt: quizQuestions.prompt,
      points: quizQuestions.points,
      choices: quizQuestions.choices,
    })
    .from(quizQuestions)
    .where(and(eq(quizQuestions.quizId, quiz.id), inArray(quizQuestions.id, ids)));
  const keys = released
    ? await db
        .select({ id: quizQuestions.id, correct: quizQuestions.correct, explanation: quizQuestions.explanation })
        .from(quizQuestions)
        .where(and(eq(quizQuestions.quizId, quiz.id), inArray(quizQuestions.id, ids)))
    : [];
  const answers = submitted
    ? await db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attempt.id))
    : [];

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
    const choices = new Map(choicesSchema.parse(row.choices).map((c) => [c.id, c]));
    const shown = shownChoiceIds(item);
    const view: AttemptQuestionView = {
      id: row.id,
      kind: questionKindSchema.parse(row.kind),
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
        selected: answer ? toShownChoiceIds(item, choiceIdsSchema.parse(answer.selected)) : [],
        credit: answer?.credit ?? 0,
        ...(key
          ? { correct: toShownChoiceIds(item, choiceIdsSchema.parse(key.correct)), explanation: key.explanation }
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
