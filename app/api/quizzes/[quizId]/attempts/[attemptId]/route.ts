import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/app/_lib/http/route";
import { parseRouteId, readJsonBody } from "@/app/_lib/quiz/request-input";
import { submitAnswersSchema } from "@/domain/quiz/validate-answers";
import { getAttemptView } from "@/domain/quiz/get-attempt-view";
import { saveDraftAnswers } from "@/domain/quiz/save-draft-answers";

/**
 * GET: one of the student's own attempts. While it is open: questions and choices only. After
 * submission: score, and answers with explanations once the quiz's release policy allows.
 */
export const GET = withUser<{ quizId: string; attemptId: string }>(async (_req, { user, params }) => {
  const quizId = parseRouteId(params.quizId, "quiz");
  const view = await getAttemptView(await getDb(), {
    attemptId: parseRouteId(params.attemptId, "attempt"),
    userId: user.id,
  });
  if (view.quizId !== quizId) throw new NotFoundError("No such attempt.");
  return NextResponse.json(view);
});

/**
 * PUT `{ "answers": { ... } }`, shaped like a submission: saves an open attempt's answers so far,
 * replacing the last draft, so a reload keeps them. Nothing is graded. 204; a submitted attempt or
 * one past its time limit is a 409; answers that do not fit the attempt a 422.
 */
export const PUT = withUser<{ quizId: string; attemptId: string }>(async (req, { user, params }) => {
  const quizId = parseRouteId(params.quizId, "quiz");
  const attemptId = parseRouteId(params.attemptId, "attempt");
  const db = await getDb();
  const view = await getAttemptView(db, { attemptId, userId: user.id });
  if (view.quizId !== quizId) throw new NotFoundError("No such attempt.");
  const { answers } = await readJsonBody(req, submitAnswersSchema);
  await saveDraftAnswers(db, { attemptId, userId: user.id, answers });
  return new Response(null, { status: 204 });
});
