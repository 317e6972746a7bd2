import { withInstructor } from "@/app/_lib/http/route";
import { assignmentTaughtBy } from "@/app/_lib/auth/course-access";
import { getDb } from "@/db";
import { getGradebook } from "@/domain/grading/gradebook";
import { gradebookCsv } from "@/domain/grading/gradebook-csv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The assignment's gradebook as CSV: 401 signed out, 403 for students and instructors of other courses. */
export const GET = withInstructor<{ slug: string; number: string }>(async (_req, { user, params }) => {
  const assignment = await assignmentTaughtBy(user, params);
  const book = await getGradebook(await getDb(), assignment);
  return new Response(gradebookCsv(book), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="gradebook-${assignment.courseSlug}-assignment-${assignment.number}.csv"`,
      "cache-control": "private, no-store",
    },
  });
});
