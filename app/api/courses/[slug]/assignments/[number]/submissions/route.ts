import { NextResponse } from "next/server";
import { withUser } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { getGradeQueue } from "@/grader/queue/grade-queue";
import { handleCreateCourseSubmission } from "@/app/api/assignments/[number]/submissions/handle-create-submission";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Submit to assignment :number of course :slug: a spec, a Keras topology + training block, or a trained model;
 * plus an optional written report. The submit form posts here.
 */
export const POST = withUser<{ slug: string; number: string }>(async (req, { user, params }) => {
  const created = await handleCreateCourseSubmission(req, user, { courseSlug: params.slug, number: params.number }, await getDb(), { queue: getGradeQueue() });
  // 200, not 201, when the same submit came again (idempotency key): nothing new was created.
  return NextResponse.json(created, { status: created.replayed ? 200 : 201 });
});
