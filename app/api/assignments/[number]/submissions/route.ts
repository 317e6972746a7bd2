import { NextResponse } from "next/server";
import { withUser } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { getGradeQueue } from "@/grader/queue/grade-queue";
import { handleCreateSubmission } from "./handle-create-submission";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Submit to an assignment: a spec, a Keras topology + training block, or a trained model; plus an optional written report. */
export const POST = withUser<{ number: string }>(async (req, { user, params }) => {
  const created = await handleCreateSubmission(req, user, params.number, await getDb(), { queue: getGradeQueue() });
  // 200, not 201, when the same submit came again (idempotency key): nothing new was created.
  return NextResponse.json(created, { status: created.replayed ? 200 : 201 });
});
