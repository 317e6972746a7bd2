import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { errorResponse } from "@/app/_lib/http/route";
import { NotFoundError } from "@/lib/errors";
import { canViewSubmission } from "@/app/api/submissions/[id]/events/can-view-submission";
import { handleSubmissionEvents } from "@/app/api/submissions/[id]/events/submission-event-stream";
import type { DbHandle } from "@/db";
import { reports, submissions } from "@/db/schema";
import { createSubmission } from "@/db/queries/submissions/create-submission";
import { announceSubmitted, publishSubmissionEvent } from "@/grader/queue/submission-events";
import { submitForGrading } from "@/grader/queue/submit-for-grading";
import { startEmbeddedRunner, type EmbeddedRunner } from "@/grader/worker/embedded-runner";
import { addProgressPoint, progressPoint, type GradingProgress, type ProgressPoint } from "@/grader/contracts/grading-progress";
import { createChildGrader, type ChildGrader } from "@/grader/worker/child-process-grader";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinySpec } from "./fixtures/builders";
import { readSse } from "./fixtures/read-sse";

const request = (id: string) => new Request(`http://localhost/api/submissions/${id}/events`);

describe(`live grading progress over SSE with the embedded runner and the real grader on ${dbDriverName}`, () => {
  let h: DbHandle;
  let grader: ChildGrader;
  let runner: EmbeddedRunner;
  let assignmentId: string;
  let owner: { id: string; role: "student" | "instructor" };
  let classmate: { id: string; role: "student" | "instructor" };
  let instructor: { id: string; role: "student" | "instructor" };
  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db));
    [owner, classmate, instructor] = await Promise.all([seedUser(h.db), seedUser(h.db), seedUser(h.db, "instructor")]);
    grader = createChildGrader();
    grader.warm(1);
    // Only a submit wakes the runner (no polling in between), so each test decides when grading starts.
    runner = startEmbeddedRunner({ db: h.db, concurrency: 1, livenessMs: 5_000, grade: grader.grade, pollMs: 600_000 });
  });
  afterAll(async () => {
    await runner.stop(2_000);
    await grader.close();
    await h.close();
  });

  it("only lets the owner and instructors watch a submission", () => {
    const submission = { userId: "owner-id" };
    expect(canViewSubmission({ id: "owner-id", role: "student" }, submission)).toBe(true);
    expect(canViewSubmission({ id: "someone-else", role: "instructor" }, submission)).toBe(true);
    expect(canViewSubmission({ id: "someone-else", role: "student" }, submission)).toBe(false);
  });

  it("streams status and per-epoch progress to the owner until the submission succeeds, and stores its report", async () => {
    // The page opens its stream while the submission waits; the runner is woken after, so no event predates it.
    const submission = await createSubmission(
      h.db,
      { assignmentId, userId: owner.id, kind: "cnn", spec: tinySpec({ epochs: 5 }) },
      { dailySubmissions: 50, maxQueuedPerStudent: 5 },
    );
    const res = await handleSubmissionEvents(request(submission.id), owner, submission.id, h.db, { pollMs: 200 });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    announceSubmitted();
    const events = await readSse(res);

    // Nothing trained yet when the page connected: the replayed history is empty.
    expect(events[0]).toEqual({ event: "history", data: { points: [] } });
    const statuses = events.filter((e) => e.event === "status").map((e) => (e.data as { status: string }).status);
    expect(statuses[0]).toMatch(/queued|running/);
    expect(statuses.at(-1)).toBe("succeeded");
    const progress = events.filter((e) => e.event === "progress").map((e) => e.data as { phase: string; epoch: number; epochs: number });
    expect(progress.some((p) => p.phase === "training" && p.epoch >= 1 && p.epochs === 5)).toBe(true);
    expect(await h.db.select().from(reports).where(eq(reports.submissionId, submission.id))).toHaveLength(1);

    // An epoch's end is its own event, all batches done; never a batch count restarting at 0.
    const training = events.filter((e) => e.event === "progress").map((e) => e.data as GradingProgress).filter((p) => p.phase === "training");
    expect(training.filter((p) => p.epochEnd).map((p) => [p.epoch, p.batch === p.batches])).toEqual([1, 2, 3, 4, 5].map((e) => [e, true]));
    expect(training.filter((p) => p.batch === 0)).toEqual([]);

    // A reload after the fact gets the whole run's curves, the final state and the last progress, then ends.
    const again = await readSse(await handleSubmissionEvents(request(submission.id), owner, submission.id, h.db));
    expect(again.map((e) => e.event)).toEqual(["history", "status"]);
    const points = (again[0]!.data as { points: ProgressPoint[] }).points;
    expect(points.filter((p) => Number.isInteger(p.epoch)).map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(again[1]!.data).toMatchObject({ status: "succeeded", progress: { phase: expect.stringMatching(/training|evaluating/) } });
  });

  it("replays the curves so far to a stream opened mid-run, then continues them live", async () => {
    // A run two epochs in, as the worker leaves it in the row (no runner involved: it is asleep),
    // of a student of its own, so this row counts against nobody else's queue.
    const student = await seedUser(h.db);
    const submission = await createSubmission(
      h.db,
      { assignmentId, userId: student.id, kind: "cnn", spec: tinySpec({ epochs: 5 }) },
      { dailySubmissions: 50, maxQueuedPerStudent: 5 },
    );
    let history: ProgressPoint[] = [];
    const event = (epoch: number, batch: number, epochEnd = false): GradingProgress => ({
      phase: "training", epoch, epochs: 5, batch, batches: 4, loss: 1 / (epoch + batch), acc: 0.1 * epoch, ...(epochEnd ? { epochEnd, valLoss: 1, valAcc: 0.5 } : {}),
    });
    for (const epoch of [1, 2]) {
      for (const batch of [1, 2, 3, 4]) history = addProgressPoint(history, progressPoint(event(epoch, batch))!);
      history = addProgressPoint(history, progressPoint(event(epoch, 4, true))!);
    }
    await h.db.update(submissions).set({ status: "running", progress: event(2, 4, true), progressHistory: history }).where(eq(submissions.id, submission.id));

    const res = await handleSubmissionEvents(request(submission.id), student, submission.id, h.db, { pollMs: 200 });
    const reading = readSse(res, (e) => e.event === "progress");
    await new Promise((r) => setTimeout(r, 300));
    publishSubmissionEvent({ type: "progress", submissionId: submission.id, progress: event(3, 1) });
    const seen = await reading;
    expect(seen[0]!.event).toBe("history");
    const replayed = (seen[0]!.data as { points: ProgressPoint[] }).points;
    expect(replayed.filter((p) => p.valLoss !== null).map((p) => p.epoch)).toEqual([1, 2]);
    expect(replayed.map((p) => p.epoch)).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(seen.find((e) => e.event === "status")!.data).toMatchObject({ status: "running", progress: { epoch: 2, epochEnd: true } });
    // The live event continues the curve where the replay ended.
    expect(progressPoint(seen.at(-1)!.data as GradingProgress)!.epoch).toBe(2.25);
  });

  it("answers 404 to another student, as if the submission did not exist", async () => {
    const { submission } = await submitForGrading(
      h.db,
      { assignmentId, userId: owner.id, content: { kind: "spec", spec: tinySpec() } },
      { queue: null },
    );
    const attempt = handleSubmissionEvents(request(submission.id), classmate, submission.id, h.db);
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    expect(errorResponse(await attempt.catch((e: unknown) => e)).status).toBe(404);
    // So does an id that is not one at all.
    await expect(handleSubmissionEvents(request("x"), owner, "not-a-uuid", h.db)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets an instructor watch any student's submission", async () => {
    const { submission } = await submitForGrading(
      h.db,
      { assignmentId, userId: owner.id, content: { kind: "spec", spec: tinySpec() } },
      { queue: null },
    );
    const events = await readSse(
      await handleSubmissionEvents(request(submission.id), instructor, submission.id, h.db, { pollMs: 200 }),
      (e) => e.event === "status",
    );
    expect(events.at(-1)!.data).toMatchObject({ id: submission.id });
  });
});
