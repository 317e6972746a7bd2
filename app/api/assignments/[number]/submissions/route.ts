import { NextResponse } from "next/server";
import { withUser } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { getGradeQueue } from "@/grader/queue/grade-queue";
import { handleCreateSubmission } from "./handle-create-submission";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The older, course-less submit address (`?course=<slug>`, or the asker's own course with that number), kept
 * working for scripts written against it. It runs the same handler as
 * /api/courses/:slug/assignments/:number/submissions rather than answering 308: a redirected POST would make
 * the client send a form of up to 80 MB twice, and clients that do not follow redirects would lose the submit.
 */
export const POST = withUser<{ number: string }>(async (req, { user, params }) => {
  const created = await handleCreateSubmission(req, user, params.number, await getDb(), { queue: getGradeQueue() });
  // 200, not 201, when the same submit came again (idempotency key): nothing new was created.
  return NextResponse.json(created, { status: created.replayed ? 200 : 201 });
});
