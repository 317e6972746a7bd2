import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { errorResponse } from "@/app/_lib/http/route";
import { NotFoundError } from "@/lib/errors";
import { canViewSubmission } from "@/app/api/submissions/[id]/events/can-view-submission";
import { handleSubmissionEvents } from "@/app/api/submissions/[id]/events/submission-event-stream";
import type { DbHandle } from "@/db";
import { reports } from "@/db/schema";
import { createSubmission } from "@/db/queries/submissions/create-submission";
import { announceSubmitted } from "@/grader/queue/submission-events";
import { submitForGrading } from "@/grader/queue/submit-for-grading";
import { startEmbeddedRunner, type EmbeddedRunner } from "@/grader/worker/embedded-runner";
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

    const statuses = events.filter((e) => e.event === "status").map((e) => (e.data as { status: string }).status);
    expect(statuses[0]).toMatch(/queued|running/);
    expect(statuses.at(-1)).toBe("succeeded");
    const progress = events.filter((e) => e.event === "progress").map((e) => e.data as { phase: string; epoch: number; epochs: number });
    expect(progress.some((p) => p.phase === "training" && p.epoch >= 1 && p.epochs === 5)).toBe(true);
    expect(await h.db.select().from(reports).where(eq(reports.submissionId, submission.id))).toHaveLength(1);

    // A reload after the fact still shows the final state and the last progress, then ends.
    const again = await readSse(await handleSubmissionEvents(request(submission.id), owner, submission.id, h.db));
    expect(again).toHaveLength(1);
    expect(again[0].data).toMatchObject({ status: "succeeded", progress: { phase: expect.stringMatching(/training|evaluating/) } });
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
    expect(events[0].data).toMatchObject({ id: submission.id });
  });
});
