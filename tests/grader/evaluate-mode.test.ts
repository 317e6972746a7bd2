import { mkdirSync, writeFileSync, readFileSync, readdirSync, createWriteStream } from "node:fs";
import path from "node:path";
import yazl from "yazl";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTf, type Tf } from "@/grader/backend/load-tf";
import { ModelArchiveError, SpecOverBudgetError } from "@/grader/errors";
import { gradeSubmission } from "@/grader/grade";
import { saveLayersModelToDir } from "@/grader/model/layers-model-io";
import { gradingReportSchema } from "@/grader/report/schema";
import { tempDataDir, tinyAssignment } from "./builders";

const dataDir = tempDataDir();
const assignment = tinyAssignment();
let tf: Tf;

beforeAll(async () => {
  tf = (await loadTf()).tf;
});

/** Writes a zip of `files` (name → bytes) and resolves with its path. */
function zip(file: string, files: Record<string, Buffer | string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const [name, data] of Object.entries(files)) z.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name);
    z.outputStream.pipe(createWriteStream(file)).on("close", () => resolve(file)).on("error", reject);
    z.end();
  });
}

/** Rewrites entry names starting with "zz/" to "../" in place, as a malicious archive would have them. */
function escapeZipNames(file: string): string {
  const bytes = readFileSync(file);
  const from = Buffer.from("zz/");
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) bytes.write("../", at, "latin1");
  writeFileSync(file, bytes);
  return file;
}

/** Saves a small untrained Keras-style model (conv → global pooling → softmax) the way model.save() does. */
async function savedModel(dir: string, inputShape: number[] = [16, 16, 3], classes = 3): Promise<string> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 3, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  await saveLayersModelToDir(tf, model, dir);
  model.dispose();
  return dir;
}

describe("evaluate mode (a trained TF.js Layers model)", () => {
  it("grades a model folder written by model.save without training it", async () => {
    const dir = await savedModel(path.join(dataDir, "model-a"));
    const report = await gradeSubmission({ assignment, submission: { kind: "model", modelDir: dir }, seed: 1, dataDir });
    expect(() => gradingReportSchema.parse(report)).not.toThrow();
    expect(report.submission.kind).toBe("model");
    expect(report.training.stopReason).toBe("notTrained");
    expect(report.training.curves).toEqual([]);
    expect(report.model.totalParams).toBe(3 * 3 * 3 * 4 + 4 + 4 * 3 + 3);
    expect(report.model.layers.map((l) => l.type)).toEqual(["Conv2D", "GlobalAveragePooling2D", "Dense"]);
    expect(report.metrics!.all.count).toBe(120);
  });

  it("grades the same model from a zip archive and gets the same metrics", async () => {
    const dir = await savedModel(path.join(dataDir, "model-b"));
    const files = Object.fromEntries(readdirSync(dir).map((f) => [`export/${f}`, readFileSync(path.join(dir, f))]));
    const archive = await zip(path.join(dataDir, "model-b.zip"), files);
    const fromDir = await gradeSubmission({ assignment, submission: { kind: "model", modelDir: dir }, seed: 1, dataDir });
    const fromZip = await gradeSubmission({ assignment, submission: { kind: "model", modelDir: archive }, seed: 1, dataDir });
    expect(fromZip.metrics).toEqual(fromDir.metrics);
  });

  it("refuses a model whose input does not match the assignment's images", async () => {
    const dir = await savedModel(path.join(dataDir, "model-c"), [28, 28, 1]);
    await expect(gradeSubmission({ assignment, submission: { kind: "model", modelDir: dir }, seed: 1, dataDir }))
      .rejects.toThrow(/takes input \[28, 28, 1\] but this assignment's images are \[16, 16, 3\]/);
    await expect(gradeSubmission({ assignment, submission: { kind: "model", modelDir: dir }, seed: 1, dataDir }))
      .rejects.toBeInstanceOf(SpecOverBudgetError);
  });

  it("says what is wrong with a broken upload", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ "readme.txt": "hi" }, /no model\.json/],
      [{ "model.json": "{not json" }, /not valid JSON/],
      [{ "model.json": JSON.stringify({ format: "graph-model", modelTopology: {}, weightsManifest: [{ paths: [], weights: [] }] }) }, /graph-model.*tfjs_layers_model/],
      [{ "model.json": JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ["missing.bin"], weights: [] }] }) }, /"missing\.bin".*missing/],
      // zip writers refuse "..", so the entry is written as "zz/..." and renamed in the bytes (see escapeZipNames).
      [{ "zz/evil/model.json": "{}" }, /"\.\.\/evil\/model\.json".*refused/],
    ];
    for (const [i, [files, message]] of cases.entries()) {
      const archive = escapeZipNames(await zip(path.join(dataDir, `broken-${i}.zip`), files));
      const job = gradeSubmission({ assignment, submission: { kind: "model", modelDir: archive }, seed: 1, dataDir });
      await expect(job).rejects.toBeInstanceOf(ModelArchiveError);
      await expect(gradeSubmission({ assignment, submission: { kind: "model", modelDir: archive }, seed: 1, dataDir })).rejects.toThrow(message);
    }
    const notZip = path.join(dataDir, "not-a-zip.zip");
    writeFileSync(notZip, "plain text");
    await expect(gradeSubmission({ assignment, submission: { kind: "model", modelDir: notZip }, seed: 1, dataDir })).rejects.toThrow(/could not be opened as a zip/);
  });

  it("names a custom layer the model uses", async () => {
    const dir = await savedModel(path.join(dataDir, "model-d"));
    const json = JSON.parse(readFileSync(path.join(dir, "model.json"), "utf8"));
    json.modelTopology.config.layers[1].class_name = "MyFancyPooling";
    mkdirSync(path.join(dataDir, "model-e"), { recursive: true });
    writeFileSync(path.join(dataDir, "model-e", "model.json"), JSON.stringify(json));
    writeFileSync(path.join(dataDir, "model-e", "weights.bin"), readFileSync(path.join(dir, "weights.bin")));
    await expect(gradeSubmission({ assignment, submission: { kind: "model", modelDir: path.join(dataDir, "model-e") }, seed: 1, dataDir }))
      .rejects.toThrow(/"MyFancyPooling" \(layers\.1\).*custom/);
  });

  it("refuses a Lambda layer, even inside a nested model, before TF.js builds anything", async () => {
    const dir = await savedModel(path.join(dataDir, "model-f"));
    const json = JSON.parse(readFileSync(path.join(dir, "model.json"), "utf8"));
    const layers = json.modelTopology.config.layers;
    layers.splice(1, 0, { class_name: "Sequential", config: { name: "inner", layers: [{ class_name: "Lambda", config: { name: "l", function: "print" } }] } });
    mkdirSync(path.join(dataDir, "model-g"), { recursive: true });
    writeFileSync(path.join(dataDir, "model-g", "model.json"), JSON.stringify(json));
    writeFileSync(path.join(dataDir, "model-g", "weights.bin"), readFileSync(path.join(dir, "weights.bin")));
    await expect(gradeSubmission({ assignment, submission: { kind: "model", modelDir: path.join(dataDir, "model-g") }, seed: 1, dataDir }))
      .rejects.toThrow(/"Lambda" \(layers\.1\.layers\.0\)/);
  });
});
