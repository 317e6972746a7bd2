import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db";
import { getTrainingThroughput } from "@/db/queries/reports/training-throughput";
import { createSubmission } from "@/db/queries/submissions/create-submission";
import { writeReport } from "@/db/queries/submissions/complete-submission";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { fakeReport, seedAssignmentAndStudent, tinySpec } from "../queue/fixtures/builders";

describe(`the measured training speed a first "time left" starts from, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  let userId: string;
  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId, userId } = await seedAssignmentAndStudent(h.db));
  });
  afterAll(async () => h.close());

  /** A graded submission of `kind` whose report says it trained at `imagesPerSecond` a model of `flops` FLOPs per image. */
  const graded = async (kind: "cnn" | "transfer", imagesPerSecond: number | null, flops: number, backend: "wasm" | "tfjs-node" = "wasm") => {
    const s = await createSubmission(h.db, { assignmentId, userId, kind, spec: tinySpec() }, { dailySubmissions: 1000, maxQueuedPerStudent: 1000 });
    const report = fakeReport();
    report.backend = backend;
    report.model.flopsPerImage = flops;
    report.training.imagesPerSecond = imagesPerSecond;
    await writeReport(h.db, s.id, 1, report);
  };

  it("is the median FLOP rate of the assignment's recent jobs of that kind, per backend, and nothing before any job", async () => {
    expect(await getTrainingThroughput(h.db, assignmentId, "cnn")).toEqual({});
    await graded("cnn", 100, 1_000_000); // 1e8 FLOP/s
    await graded("cnn", 300, 1_000_000); // 3e8
    await graded("cnn", 50, 4_000_000); // 2e8: the median
    await graded("cnn", null, 1_000_000); // evaluated only: not a measurement
    await graded("transfer", 5_000, 1_000_000); // a frozen base: measured apart
    await graded("cnn", 1_000, 1_000_000, "tfjs-node");
    expect(await getTrainingThroughput(h.db, assignmentId, "cnn")).toEqual({
      wasm: { trainFlopsPerSecond: 2e8, jobs: 3 },
      "tfjs-node": { trainFlopsPerSecond: 1e9, jobs: 1 },
    });
    expect(await getTrainingThroughput(h.db, assignmentId, "transfer")).toEqual({ wasm: { trainFlopsPerSecond: 5e9, jobs: 1 } });
  });
});
