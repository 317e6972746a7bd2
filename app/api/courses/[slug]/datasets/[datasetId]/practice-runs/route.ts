import { NextResponse } from "next/server";
import { withUser } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { getGradeQueue } from "@/grader/queue/grade-queue";
import { handlePracticeRun } from "./handle-practice-run";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Start an ungraded practice run on one's own dataset (the dataset page's Practice runs form posts here). */
export const POST = withUser<{ slug: string; datasetId: string }>(async (req, { user, params }) => {
  const started = await handlePracticeRun(req, user, { courseSlug: params.slug, datasetId: params.datasetId }, await getDb(), { queue: getGradeQueue() });
  return NextResponse.json(started, { status: started.replayed ? 200 : 201 });
});
