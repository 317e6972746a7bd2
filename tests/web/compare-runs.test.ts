import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { DbHandle } from "@/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { loadComparedRuns, parseRunIds } from "@/domain/runs/load-runs";
import { approachVerdict, comparedMetrics } from "@/domain/runs/run-view";
import { CompareRuns } from "@/app/_components/runs/run-figures";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser } from "../queue/fixtures/builders";
import { enrolStudent, failure, visibleText } from "./fixtures";
import { enrollments } from "@/db/schema";
import { runReport, seedRun, seedStudentDataset } from "./runs-fixtures";

describe(`comparing runs on a student's dataset, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let courseId: string;
  let assignmentId: string;
  let owner: { id: string; role: "student" };
  let other: { id: string; role: "student" };
  let prof: { id: string; role: "instructor" };
  let outsider: { id: string; role: "instructor" };
  let dataset: string;
  let otherDataset: string;
  let cnn: string;
  let transfer: string;
  let onOtherDataset: string;
  let othersRun: string;
  let running: string;

  beforeAll(async () => {
    h = await createTestDb();
    ({ courseId, assignmentId } = await seedAssignment(h.db));
    owner = { id: (await seedUser(h.db)).id, role: "student" };
    other = { id: (await seedUser(h.db)).id, role: "student" };
    prof = { id: (await seedUser(h.db, "instructor")).id, role: "instructor" };
    outsider = { id: (await seedUser(h.db, "instructor")).id, role: "instructor" };
    await enrolStudent(h.db, courseId, owner.id);
    await enrolStudent(h.db, courseId, other.id);
    await h.db.insert(enrollments).values({ courseId, userId: prof.id, role: "instructor" });
    const elsewhere = await seedAssignment(h.db);
    await h.db.insert(enrollments).values({ courseId: elsewhere.courseId, userId: outsider.id, role: "instructor" });
    dataset = await seedStudentDataset(h.db, { courseId, assignmentId, userId: owner.id, name: "my clothes" });
    otherDataset = await seedStudentDataset(h.db, { courseId, assignmentId, userId: owner.id, name: "my digits" });
    cnn = await seedRun(h.db, { assignmentId, userId: owner.id, studentDatasetId: dataset, name: "simple cnn", report: runReport({ accuracy: 0.7, macroF1: 0.712, params: 52000, trainMs: 12400 }) });
    transfer = await seedRun(h.db, {
      assignmentId, userId: owner.id, studentDatasetId: dataset, name: "fashion transfer", kind: "transfer",
      report: runReport({ accuracy: 0.85, macroF1: 0.843, params: 4200, trainMs: 3100, kind: "transfer" }),
    });
    onOtherDataset = await seedRun(h.db, { assignmentId, userId: owner.id, studentDatasetId: otherDataset, name: "digits cnn" });
    running = await seedRun(h.db, { assignmentId, userId: owner.id, studentDatasetId: dataset, name: "still training", status: "running" });
    const othersDataset = await seedStudentDataset(h.db, { courseId, assignmentId, userId: other.id });
    othersRun = await seedRun(h.db, { assignmentId, userId: other.id, studentDatasetId: othersDataset, name: "theirs" });
  });
  afterAll(async () => h.close());

  it("reads the runs of a compare address, comma-separated or repeated, and bounds them", () => {
    expect(parseRunIds(`${cnn},${transfer}`)).toEqual([cnn, transfer]);
    expect(parseRunIds([cnn, transfer])).toEqual([cnn, transfer]);
    const ids = Array.from({ length: 7 }, () => crypto.randomUUID());
    expect(() => parseRunIds(ids.join(","))).toThrow(/at most 6 runs; 7 were picked/);
    expect(() => parseRunIds(undefined)).toThrow(/Pick at least 2 runs/);
    expect(() => parseRunIds(cnn)).toThrow(/Pick at least 2 different runs/);
    expect(() => parseRunIds(`${cnn},${cnn}`)).toThrow(/Pick at least 2 different runs/);
    expect(() => parseRunIds(`${cnn},'; drop table submissions; --`)).toThrow(/is not a run id/);
    expect(() => parseRunIds("x".repeat(1_000_000))).toThrow(ValidationError);
  });

  it("shows the owner their two runs side by side, in the order asked", async () => {
    const runs = await loadComparedRuns(h.db, owner, [transfer, cnn], { datasetId: dataset, courseId });
    expect(runs.map((r) => r.label)).toEqual(["fashion transfer", "simple cnn"]);
    expect(runs[0]!.approach).toBe("transfer learning");
    expect(runs[1]!.metrics!.macroF1).toBe(0.712);
  });

  it("lets the course's instructor compare a student's runs, but not an instructor of another course", async () => {
    expect(await loadComparedRuns(h.db, prof, [cnn, transfer], { datasetId: dataset, courseId })).toHaveLength(2);
    expect(await failure(loadComparedRuns(h.db, outsider, [cnn, transfer], { datasetId: dataset, courseId }))).toBeInstanceOf(NotFoundError);
  });

  it("answers another student's run or dataset, and an unknown run, with not found", async () => {
    const e = await failure(loadComparedRuns(h.db, other, [cnn, transfer], { datasetId: dataset, courseId }));
    expect(e).toBeInstanceOf(NotFoundError);
    // Their own dataset, but the owner's runs in it: still not found, and the runs are not described.
    const theirs = await failure(loadComparedRuns(h.db, owner, [cnn, othersRun], { datasetId: dataset, courseId }));
    expect(theirs.status).toBe(404);
    expect(theirs.message).not.toContain("theirs");
    expect((await failure(loadComparedRuns(h.db, owner, [cnn, crypto.randomUUID()], { datasetId: dataset, courseId }))).status).toBe(404);
    expect((await failure(loadComparedRuns(h.db, owner, [cnn, transfer], { datasetId: crypto.randomUUID(), courseId }))).status).toBe(404);
    expect((await failure(loadComparedRuns(h.db, owner, [cnn, transfer], { datasetId: "not-a-uuid", courseId }))).status).toBe(404);
  });

  it("refuses runs on another dataset and runs without a report with 422 and the reason", async () => {
    const e = await failure(loadComparedRuns(h.db, owner, [cnn, onOtherDataset], { datasetId: dataset, courseId }));
    expect(e.status).toBe(422);
    expect(e.message).toMatch(/was trained on my digits, not on this dataset: only runs on the same dataset can be compared/);
    const r = await failure(loadComparedRuns(h.db, owner, [cnn, running], { datasetId: dataset, courseId }));
    expect(r.status).toBe(422);
    expect(r.message).toMatch(/has no report yet \(it is running\)/);
    // Without a dataset in the address (a written report's comparison), the runs must still share one.
    expect((await failure(loadComparedRuns(h.db, owner, [cnn, onOtherDataset]))).message).toMatch(/different datasets \(my clothes, my digits\)/);
  });

  it("draws the comparison from the stored reports: the figures, the best marked in words, and the answer to the Activity's question", async () => {
    const runs = await loadComparedRuns(h.db, owner, [cnn, transfer], { datasetId: dataset, courseId });
    const m = comparedMetrics(runs);
    expect(m.find((x) => x.key === "macroF1")!.best).toEqual([1]);
    expect(m.find((x) => x.key === "logLoss")!.best).toEqual([1]);
    expect(m.find((x) => x.key === "trainSeconds")!.best).toEqual([1]);
    expect(approachVerdict(runs)).toBe(
      "Transfer learning wins on this dataset: B (fashion transfer) reaches macro-F1 0.843 against 0.712 for A (simple cnn) (+0.131, accuracy 85.0% vs 70.0%, on 60 test images), with 4,200 trainable parameters and 3.1 s of training against 52,000 trainable parameters and 12.4 s of training.",
    );
    const html = renderToStaticMarkup(createElement(CompareRuns, { runs }));
    const page = visibleText(html);
    expect(page).toContain("0.843");
    expect(page).toContain("0.712");
    expect(page).toContain("+0.131 vs A");
    expect((html.match(/★ best/g) ?? []).length).toBeGreaterThanOrEqual(5);
    // Side-by-side matrices, their difference, overlaid curves and per-class F1 bars.
    for (const chart of ["confusion-matrix", "confusion-difference", "compare-curves", "grouped-bars"]) expect(html).toContain(`data-chart="${chart}"`);
    expect(page).toContain("Difference, B minus A");
  });

  it("says when the runs cannot answer the question (one approach only), and when the margin is too small", async () => {
    const [a, b] = await loadComparedRuns(h.db, owner, [cnn, transfer], {});
    expect(approachVerdict([a!, { ...a!, id: "copy", label: "cnn again" }])).toMatch(/^Every compared run with metrics is a custom CNN, so these runs cannot say/);
    const close = { ...b!, metrics: { ...b!.metrics!, macroF1: a!.metrics!.macroF1 + 0.005 } };
    expect(approachVerdict([a!, close])).toMatch(/^Too close to call on these 60 test images/);
  });
});
