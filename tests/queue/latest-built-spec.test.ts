import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db";
import { createSubmission } from "@/db/queries/submissions/create-submission";
import { latestBuiltSpec } from "@/db/queries/submissions/latest-built-spec";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignmentAndStudent, tinySpec } from "./fixtures/builders";

const roomy = { dailySubmissions: 100, maxQueuedPerStudent: 100 };

/** The builder's "your last submission" preset: only the kinds the builder writes (BUILDER_KINDS) are offered. */
describe(`the newest submission the builder can open, on ${dbDriverName}`, () => {
  let h: DbHandle;
  beforeAll(async () => (h = await createTestDb()));
  afterAll(async () => h.close());

  it("is none before the student has built anything, and skips a newer Keras import or model upload", async () => {
    const { assignmentId, userId } = await seedAssignmentAndStudent(h.db);
    expect(await latestBuiltSpec(h.db, { assignmentId, userId })).toBeNull();
    const cnn = await createSubmission(h.db, { assignmentId, userId, kind: "cnn", spec: tinySpec() }, roomy);
    await createSubmission(h.db, { assignmentId, userId, kind: "keras", spec: { kind: "keras", model: "{}", training: { epochs: 1 } } }, roomy);
    await createSubmission(h.db, { assignmentId, userId, kind: "model", spec: null, artifactKey: "submissions/x/model.zip" }, roomy);
    expect(await latestBuiltSpec(h.db, { assignmentId, userId })).toMatchObject({ id: cnn.id, kind: "cnn" });
    const transfer = await createSubmission(h.db, { assignmentId, userId, kind: "transfer", spec: { kind: "transfer", base: "shapes-base" } }, roomy);
    expect(await latestBuiltSpec(h.db, { assignmentId, userId })).toMatchObject({ id: transfer.id, kind: "transfer" });
  });
});
