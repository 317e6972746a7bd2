import { withInstructor } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { findAssignmentByNumber } from "@/db/queries/reports/find-assignment";
import { getGradebook } from "@/db/queries/gradebook/gradebook";
import { gradebookCsv } from "@/db/queries/gradebook/gradebook-csv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ASSIGNMENT_NUMBER = 6;

/** The gradebook as CSV; instructors only (401 signed out, 403 for students). */
export const GET = withInstructor(async () => {
  const db = await getDb();
  const book = await getGradebook(db, await findAssignmentByNumber(db, ASSIGNMENT_NUMBER));
  return new Response(gradebookCsv(book), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="gradebook-lesson-${ASSIGNMENT_NUMBER}.csv"`,
      "cache-control": "private, no-store",
    },
  });
});
