import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/app/_lib/http/route";
import { parseRouteId, readJsonBody } from "@/app/_lib/quiz/request-input";
import { submitAnswersSchema } from "@/domain/quiz/validate-answers";
import { submitAttempt } from "@/domain/quiz/submit-attempt";
import { getAttemptView } from "@/domain/quiz/get-attempt-view";

/**
 * POST `{ "answers": { "<questionId>": ["<choiceId>", ...] } }`, with the choice ids the attempt
 * showed (its opaque ids; a bank id such as "a" is not one of them): grades the attempt on the server
 * and answers with the graded attempt. Repeating the same submission is harmless (200, same
 * result); different answers for a submitted attempt are a 409; answers that do not fit the
 * attempt, or a malformed body, a 422; a submission after the time limit a 409.
 */
export const POST = withUser<{ quizId: string; attemptId: string }>(async (req, { user, params }) => {
  const quizId = parseRouteId(params.quizId, "quiz");
  const attemptId = parseRouteId(params.attemptId, "attempt");
  const db = await getDb();
  const before = await getAttemptView(db, { attemptId, userId: user.id });
  if (before.quizId !== quizId) throw new NotFoundError("No such attempt.");
  const { answers } = await readJsonBody(req, submitAnswersSchema);
  const result = await submitAttempt(db, { attemptId, userId: user.id, answers });
  const view = await getAttemptView(db, { attemptId, userId: user.id });
  return NextResponse.json({ recorded: result.recorded, attempt: view });
});
