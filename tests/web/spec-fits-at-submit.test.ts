import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { submissions } from "@/db/schema";
import { handleCreateSubmission } from "@/app/api/assignments/[number]/submissions/handle-create-submission";
import { analyseSpec } from "@/app/courses/[slug]/assignments/[number]/builder/analyse-spec";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig, tinySpec } from "../queue/fixtures/builders";
import { enrolStudent, failure, formPost } from "./fixtures";

const form = (fields: Record<string, string | File>) => formPost("http://test/api/assignments/6/submissions", fields);

/** The lesson's Keras 2 Sequential fitted to the tiny assignment (16×16 input, three classes). */
function kerasTopology() {
  const keras = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../grader/fixtures/keras2-sequential.json"), "utf8"));
  const layers = keras.config.layers as { class_name: string; config: Record<string, unknown> }[];
  for (const l of layers) if (l.config.batch_input_shape) l.config.batch_input_shape = [null, 16, 16, 3];
  layers.splice(layers.findIndex((l) => l.config.name === "conv2d_2"), 1);
  layers.at(-1)!.config.units = 3;
  return { keras, layers };
}

describe(`a spec the worker would refuse is refused at submit, on ${dbDriverName}`, () => {
  let h: DbHandle;
  let student: { id: string; role: "student" };
  let dataDir: string;

  beforeAll(async () => {
    h = await createTestDb();
    const { courseId } = await seedAssignment(h.db);
    const s = await seedUser(h.db);
    await enrolStudent(h.db, courseId, s.id);
    student = { id: s.id, role: "student" };
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-fits-"));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const submit = (req: Request) => handleCreateSubmission(req, student, "6", h.db, { queue: null, dataDir });
  const queuedRows = async () => (await h.db.select().from(submissions).where(eq(submissions.userId, student.id))).filter((r) => r.status === "queued");

  it("answers class weights naming an unknown class with a 422 on training.classWeights, the builder's message, and queues nothing", async () => {
    const spec = { ...tinySpec(), training: { ...tinySpec().training, classWeights: { circle: 2, hexagon: 3 } } };
    const err = await failure(submit(form({ mode: "builder", spec: JSON.stringify(spec) })));
    expect(err.status).toBe(422);
    expect(err.issues).toEqual([{ path: "training.classWeights", message: "unknown class hexagon; classes are circle, square, triangle" }]);
    // The builder in the browser shows the same problem, word for word, before the student submits.
    expect(analyseSpec(spec, tinyAssignmentConfig(), []).issues).toEqual(err.issues);
    expect(await queuedRows()).toHaveLength(0);
  });

  it("takes a Keras topology pasted into the Keras tab, bare or as a whole TF.js model.json", async () => {
    const { keras } = kerasTopology();
    const pasted = await submit(form({ mode: "keras", kerasText: JSON.stringify(keras), training: "epochs: 1\nbatchSize: 16\n" }));
    const [row] = await h.db.select().from(submissions).where(eq(submissions.id, pasted.id));
    expect(row).toMatchObject({ kind: "keras", status: "queued" });
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, pasted.id));
    const modelJson = { format: "layers-model", generatedBy: "keras v2.15.0", modelTopology: { model_config: keras, keras_version: "2.15.0" }, weightsManifest: [] };
    const wrapped = await submit(form({ mode: "keras", kerasText: JSON.stringify(modelJson), training: "epochs: 1\n" }));
    await h.db.update(submissions).set({ status: "succeeded" }).where(eq(submissions.id, wrapped.id));
    expect(wrapped.id).toMatch(/[0-9a-f-]{36}/);
  });

  it("reports every Keras problem at once, each naming its layer and field", async () => {
    const { keras, layers } = kerasTopology();
    layers.at(-1)!.config.units = 10;
    layers.find((l) => l.config.name === "conv2d")!.config.padding = "causal";
    layers.find((l) => l.config.name === "conv2d_1")!.config.kernel_size = "3x3";
    const err = await failure(submit(form({ mode: "keras", kerasText: JSON.stringify(keras), training: "epochs: 1\noptimizer: adamw\n" })));
    expect(err.status).toBe(422);
    expect(err.issues?.map((i) => i.message)).toEqual(expect.arrayContaining([
      'must be "sgd", "momentum", "adam" or "rmsprop"; got "adamw"',
      'layer `conv2d` (Conv2D), field `padding`: must be "valid" or "same"; got "causal"',
      'layer `conv2d_1` (Conv2D), field `kernel_size`: must be a positive whole number or a pair of them like [3, 3]; got "3x3"',
      "layer `dense_1` (Dense), field `units`: the assignment has 3 classes, this layer gives 10 (the model must output one probability per class: [3])",
    ]));
    // Each once.
    expect(new Set(err.issues!.map((i) => i.message)).size).toBe(err.issues!.length);
  });

  it("recognises a model.to_json() pasted into the spec box and says to use the Keras tab", async () => {
    const { keras } = kerasTopology();
    const err = await failure(submit(form({ mode: "spec", spec: JSON.stringify(keras) })));
    expect(err.status).toBe(422);
    expect(err.issues).toEqual([expect.objectContaining({ path: "training", message: expect.stringContaining('"Keras model.to_json()" tab') })]);
  });

  it("asks for a topology when the Keras tab has neither a file nor pasted text", async () => {
    const err = await failure(submit(form({ mode: "keras", training: "epochs: 1" })));
    expect(err.status).toBe(422);
    expect(err.issues).toEqual([{ path: "kerasText", message: expect.stringMatching(/^Paste the JSON/) }]);
  });
});
