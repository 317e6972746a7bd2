import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { NotFoundError } from "@/app/_lib/errors";
import { withUser } from "@/app/_lib/http/route";
import { parseRouteId } from "@/app/_lib/quiz/request-input";
import { getAttemptView } from "@/db/queries/quiz/get-attempt-view";

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
