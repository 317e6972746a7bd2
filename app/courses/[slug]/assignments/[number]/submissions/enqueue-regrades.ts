import { enqueueGrading, getGradeQueue } from "@/grader/queue/grade-queue";
import { announceSubmitted } from "@/grader/queue/submission-events";

/**
 * Hands regraded submissions to the grader, after the update that re-queued them has committed:
 * BullMQ when Redis is configured, else a nudge to the embedded runner. A failed enqueue is logged,
 * not thrown: the row is `queued` and the reconciler enqueues it.
 */
export async function enqueueRegrades(ids: string[]): Promise<void> {
  const queue = getGradeQueue();
  if (!queue) {
    if (ids.length) announceSubmitted();
    return;
  }
  for (const id of ids) {
    try {
      await enqueueGrading(queue, id);
    } catch (e) {
      console.error(`[regrade] enqueue of ${id} failed; the reconciler will enqueue it:`, (e as Error).message);
    }
  }
}
