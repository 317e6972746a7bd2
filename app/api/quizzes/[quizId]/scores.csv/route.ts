import { getDb } from "@/db";
import { withInstructor } from "@/app/_lib/http/route";
import { assertTeaches } from "@/app/_lib/auth/course-access";
import { parseRouteId } from "@/app/_lib/quiz/request-input";
import { findQuizForUser } from "@/db/queries/quiz/find-lesson-quiz";
import { exportScoresCsv } from "@/db/queries/quiz/export-scores-csv";

/** GET (the quiz course's instructors only; 403 for others): every student's best score as a CSV download. */
export const GET = withInstructor<{ quizId: string }>(async (_req, { user, params }) => {
  const db = await getDb();
  const quiz = await findQuizForUser(db, { userId: user.id, role: user.role, quizId: parseRouteId(params.quizId, "quiz") });
  await assertTeaches(user, { courseId: quiz.courseId });
  const csv = await exportScoresCsv(db, quiz.id);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${quiz.slug}-scores.csv"`,
      "cache-control": "no-store",
    },
  });
});
