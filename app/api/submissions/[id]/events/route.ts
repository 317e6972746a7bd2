import { withUser } from "@/app/_lib/http/route";
import { courseViewer } from "@/app/_lib/auth/course-access";
import { getDb } from "@/db";
import { env } from "@/env";
import { startQueueEventsBridge } from "@/grader/queue/queue-events-bridge";
import { handleSubmissionEvents } from "./submission-event-stream";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Live grading progress of one submission (SSE), for its owner and its course's instructors. */
export const GET = withUser<{ id: string }>(async (req, { user, params }) => {
  // With Redis, progress comes from the workers through BullMQ QueueEvents (one per web process);
  // without it, the embedded runner publishes into the same in-process bus directly.
  if (env.REDIS_URL) startQueueEventsBridge({ redisUrl: env.REDIS_URL, prefix: env.GRADER_QUEUE_PREFIX });
  return handleSubmissionEvents(req, await courseViewer(user, { submissionId: params.id }), params.id, await getDb());
});
