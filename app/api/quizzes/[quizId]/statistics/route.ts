import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import { withInstructor } from "@/app/_lib/http/route";
import { assertTeaches } from "@/app/_lib/auth/course-access";
import { parseRouteId } from "@/app/_lib/quiz/request-input";
import { findQuizForUser } from "@/db/queries/quiz/find-lesson-quiz";
import { quizStatistics } from "@/domain/quiz/quiz-statistics";
import { bestScores } from "@/db/queries/quiz/best-scores";

const querySchema = z.object({ attempts: z.enum(["all", "first"]).default("all") });

/** GET (the quiz course's instructors only; 403 for others): item statistics and each student's best score. `?attempts=first|all`. */
export const GET = withInstructor<{ quizId: string }>(async (req, { user, params }) => {
  const db = await getDb();
  const quiz = await findQuizForUser(db, { userId: user.id, role: user.role, quizId: parseRouteId(params.quizId, "quiz") });
  await assertTeaches(user, { courseId: quiz.courseId });
  const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const [statistics, students] = await Promise.all([
    quizStatistics(db, { quizId: quiz.id, firstAttemptsOnly: query.attempts === "first" }),
    bestScores(db, quiz.id),
  ]);
  return NextResponse.json({ quiz: { id: quiz.id, title: quiz.title }, attempts: query.attempts, statistics, students });
});
