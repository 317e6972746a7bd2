import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { submissions } from "@/db/schema";
import { handleCreateSubmission, SUBMISSION_UPLOAD_LIMITS } from "@/app/api/assignments/[number]/submissions/handle-create-submission";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinySpec } from "../queue/fixtures/builders";
import { enrolStudent, failure, formPost, zipFile, zipOf } from "./fixtures";
import { blobStore } from "@/grader/storage/blob-store";

/** The submit form of assignment 6, posted. */
const form = (fields: Record<string, string | File>) => formPost("http://test/api/assignments/6/submissions", fields);

describe(`POST /api/assignments/6/submissions on ${dbDriverName}`, () => {
  let h: DbHandle;
  let courseId: string;
  let student: { id: string; role: "student" };
  let dataDir: string;

  beforeAll(async () => {
    h = await createTestDb();
    ({ courseId } = await seedAssignment(h.db));
    const s = await seedUser(h.db);
    await enrolStudent(h.db, courseId, s.id);
    student = { id: s.id, role: "student" };
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-web-"));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const submit = (req: Request, who: { id: string; role: "student" | "instructor" } = student, number = "6") =>
    handleCreateSubmission(req, who, number, h.db, { queue: null, dataDir });

  it("queues a valid spec built in the builder and says where it is in the queue", async () => {
    const created = await submit(form({ mode: "builder", spec: JSON.stringify(tinySpec()) }));
    expect(created.queuePosition).toBeGreaterThanOrEqual(1);
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, created.id));
    expect(row).toMatchObject({ status: "queued", kind: "cnn", userId: student.id });
    // Leave room under the two-at-a-time cap for the following tests.
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, created.id));
  });

  it("answers an invalid layer with a 422 whose issue names the field, as the builder shows it", async () => {
    const spec = tinySpec();
    spec.layers[0] = { ...spec.layers[0]!, filters: 0 } as (typeof spec.layers)[number];
    const err = await failure(submit(form({ mode: "builder", spec: JSON.stringify(spec) })));
    expect(err.status).toBe(422);
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "layers.0.filters" }));
  });

  it("refuses an over-budget spec before queueing, pointing at the layer that is too big", async () => {
    const spec = tinySpec();
    spec.layers.splice(3, 0, { type: "dense", units: 4000, activation: "relu" } as (typeof spec.layers)[number]);
    const err = await failure(submit(form({ mode: "spec", spec: JSON.stringify(spec) })));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/Over budget/);
    expect(err.issues?.some((i) => i.path === "layers.3" && /budget allows 100,000/.test(i.message))).toBe(true);
    const rows = await h.db.select().from(submissions).where(eq(submissions.userId, student.id));
    expect(rows.filter((r) => r.status === "rejected").length).toBeGreaterThanOrEqual(1);
    expect(rows.filter((r) => r.status === "queued")).toHaveLength(0);
  });

  it("reads a YAML spec from an uploaded file", async () => {
    const yaml = "kind: cnn\nlayers:\n  - { type: flatten }\n  - { type: dense, units: 3, activation: softmax }\ntraining: { epochs: 1 }\n";
    const created = await submit(form({ mode: "spec", specFile: new File([yaml], "spec.yaml", { type: "application/yaml" }) }));
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, created.id));
    expect(created.id).toMatch(/[0-9a-f-]{36}/);
  });

  it("takes a Keras model.to_json() file plus a training block, and puts Keras problems on the right field", async () => {
    const keras = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../grader/fixtures/keras2-sequential.json"), "utf8"));
    const layers = keras.config.layers as { class_name: string; config: Record<string, unknown> }[];
    // Fit the lesson's CNN to this test assignment: 16×16 inputs (two conv blocks) and three classes.
    for (const l of layers) if (l.config.batch_input_shape) l.config.batch_input_shape = [null, 16, 16, 3];
    layers.splice(layers.findIndex((l) => l.config.name === "conv2d_2"), 1);
    layers[layers.length - 1]!.config.units = 3;
    const topology = new File([JSON.stringify(keras)], "model.json", { type: "application/json" });
    const created = await submit(form({ mode: "keras", kerasFile: topology, training: "epochs: 1\nbatchSize: 16\n" }));
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, created.id));
    expect(row).toMatchObject({ kind: "keras", status: "queued" });
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, created.id));

    const badTraining = await failure(submit(form({ mode: "keras", kerasFile: topology, training: "epochs: [1" })));
    expect(badTraining.issues).toContainEqual(expect.objectContaining({ path: "training" }));
    layers.splice(2, 0, { class_name: "Lambda", config: { name: "my_lambda" } });
    const lambda = await failure(submit(form({ mode: "keras", kerasFile: new File([JSON.stringify(keras)], "model.json"), training: "epochs: 1" })));
    expect(lambda.issues?.[0]).toMatchObject({ path: "model.config.layers.2.class_name", message: expect.stringContaining("my_lambda") });
  });

  it("refuses a trained model that is not a zip, on the model field", async () => {
    const err = await failure(submit(form({ mode: "model", model: new File(["not a zip"], "model.zip", { type: "application/zip" }) })));
    expect(err.status).toBe(422);
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "model" }));
  });

  it("refuses a zip without model.json with the grader's archive message, and keeps no file", async () => {
    const bytes = await zipOf({ "weights.bin": "xxxx" });
    const err = await failure(submit(form({ mode: "model", model: zipFile(bytes, "m.zip") })));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/no model\.json/);
    const left = fs.existsSync(path.join(dataDir, "blobs", "submissions")) ? fs.readdirSync(path.join(dataDir, "blobs", "submissions")) : [];
    expect(left).toHaveLength(0);
  });

  it("refuses a trained model with a Lambda layer at submit time, naming it, and keeps no file", async () => {
    const topology = { class_name: "Sequential", config: { layers: [{ class_name: "Dense", config: {} }, { class_name: "Lambda", config: {} }] } };
    const bytes = await zipOf({ "model.json": JSON.stringify({ modelTopology: topology, weightsManifest: [] }) });
    const err = await failure(submit(form({ mode: "model", model: zipFile(bytes, "m.zip") })));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/"Lambda" \(layers\.1\)/);
    const left = fs.existsSync(path.join(dataDir, "blobs", "submissions")) ? fs.readdirSync(path.join(dataDir, "blobs", "submissions")) : [];
    expect(left).toHaveLength(0);
  });

  it("accepts a zip with model.json for evaluate mode and stores it under the data directory", async () => {
    const bytes = await zipOf({ "model/model.json": JSON.stringify({ modelTopology: {}, weightsManifest: [] }), "model/group1-shard1of1.bin": "w" });
    const created = await submit(form({ mode: "model", model: zipFile(bytes, "m.zip") }));
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, created.id));
    expect(row!.kind).toBe("model");
    // A blob key, not a path: any host with the shared store finds it.
    expect(row!.artifactKey).toMatch(/^submissions\/[0-9a-f-]{36}\/model\.zip$/);
    expect(fs.existsSync(path.join(dataDir, "blobs", row!.artifactKey!))).toBe(true);
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, created.id));
  });

  it("attaches a Markdown report, and refuses a 'PDF' that is not one", async () => {
    const created = await submit(form({ mode: "spec", spec: JSON.stringify(tinySpec()), report: new File(["# My report\n"], "report.md", { type: "text/markdown" }) }));
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, created.id));
    expect(row!.writtenReportType).toBe("markdown");
    expect((await blobStore(dataDir).get(row!.writtenReportKey!)).toString("utf8")).toBe("# My report\n");
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, created.id));
    const err = await failure(submit(form({ mode: "spec", spec: JSON.stringify(tinySpec()), report: new File(["hello"], "report.pdf", { type: "application/pdf" }) })));
    expect(err.status).toBe(422);
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "report" }));
  });

  it("refuses a body whose declared length is over the limit before reading it", async () => {
    const req = new Request("http://test", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(SUBMISSION_UPLOAD_LIMITS.maxFormBytes + 1) },
      body: "--x--",
    });
    const err = await failure(submit(req));
    expect(err.status).toBe(413);
  });

  it("cuts off a streamed body without a length as soon as it passes the limit", async () => {
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // An endless body: only the limit can stop it.
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const req = new Request("http://test", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body,
      duplex: "half",
    } as RequestInit);
    const err = await failure(submit(req));
    expect(err.status).toBe(413);
    expect(sent).toBeLessThan(SUBMISSION_UPLOAD_LIMITS.maxFormBytes + 8 * 1024 * 1024);
  });

  it("refuses a student who has not joined the course with a 403", async () => {
    const outsider = await seedUser(h.db);
    const err = await failure(submit(form({ mode: "builder", spec: JSON.stringify(tinySpec()) }), { id: outsider.id, role: "student" }));
    expect(err.status).toBe(403);
  });

  it("answers 404 for an assignment that does not exist, and 422 for an unknown mode", async () => {
    expect((await failure(submit(form({ mode: "builder" }), student, "99"))).status).toBe(404);
    expect((await failure(submit(form({ mode: "telepathy" })))).issues).toContainEqual(expect.objectContaining({ path: "mode" }));
  });
});
