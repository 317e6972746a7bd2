import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { withUser } from "@/app/_lib/http/route";
import { parseRouteId } from "@/app/_lib/quiz/request-input";
import { startAttempt } from "@/domain/quiz/start-attempt";
import { listMyAttempts } from "@/domain/quiz/list-my-attempts";
import { findQuizForUser } from "@/db/queries/quiz/find-lesson-quiz";

/**
 * POST: starts an attempt at the quiz (201), or returns the one in progress (200).
 * 404 outside the quiz's course, 409 when every attempt is used.
 */
export const POST = withUser<{ quizId: string }>(async (_req, { user, params }) => {
  const quizId = parseRouteId(params.quizId, "quiz");
  const started = await startAttempt(await getDb(), { quizId, userId: user.id });
  return NextResponse.json(
    { ...started, url: `/api/quizzes/${quizId}/attempts/${started.attemptId}` },
    { status: started.created ? 201 : 200 },
  );
});

/** GET: the signed-in student's attempts at this quiz, oldest first (no answers, no key). */
export const GET = withUser<{ quizId: string }>(async (_req, { user, params }) => {
  const db = await getDb();
  const quiz = await findQuizForUser(db, { userId: user.id, quizId: parseRouteId(params.quizId, "quiz") });
  const attempts = await listMyAttempts(db, { quizId: quiz.id, userId: user.id });
  return NextResponse.json({ attemptsAllowed: quiz.settings.attemptsAllowed, attempts });
});
