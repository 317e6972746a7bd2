import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyseSpec } from "@/app/courses/[slug]/assignments/[number]/builder/analyse-spec";
import { validateForAssignment } from "@/grader/grade";
import { SpecValidationError } from "@/grader/errors";
import { analysisHandlers } from "@/grader/spec/analysis-child";
import { checkSpecForAssignment } from "@/grader/spec/check-spec";
import { tinyAssignmentConfig, tinySpec } from "../queue/fixtures/builders";

/** The tiny assignment: 16×16×3 images of circle, square, triangle. */
const assignment = tinyAssignmentConfig();

/** The lesson's Keras 2 Sequential (32×32 input, 5 classes), fitted to the tiny assignment's 16×16 input. */
function kerasTopology(): { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } } {
  const keras = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/keras2-sequential.json"), "utf8"));
  for (const l of keras.config.layers) if (l.config.batch_input_shape) l.config.batch_input_shape = [null, 16, 16, 3];
  keras.config.layers.splice(keras.config.layers.findIndex((l: { config: { name: string } }) => l.config.name === "conv2d_2"), 1);
  return keras;
}

/** What each of the three callers makes of one spec: the builder's issues, the submit child's and the worker's errors. */
function threeVerdicts(spec: unknown) {
  const live = analyseSpec(spec, assignment, []);
  let submit: unknown;
  try {
    analysisHandlers.spec(spec, assignment);
  } catch (e) {
    submit = e;
  }
  let worker: unknown;
  try {
    validateForAssignment(spec, assignment);
  } catch (e) {
    worker = e;
  }
  return { live, submit, worker };
}

describe("one function decides whether a spec fits an assignment", () => {
  it("refuses class weights naming a class the assignment does not have, in the builder, at submit and in the worker alike", () => {
    const spec = { ...tinySpec(), training: { ...tinySpec().training, classWeights: { circle: 2, hexagon: 3 } } };
    const { live, submit, worker } = threeVerdicts(spec);
    const expected = { path: "training.classWeights", message: "unknown class hexagon; classes are circle, square, triangle" };
    expect(live.issues).toEqual([expected]);
    // Before, only the worker checked the names: the submit check passed this spec and the job failed after queueing.
    expect(submit).toBeInstanceOf(SpecValidationError);
    expect((submit as SpecValidationError).issues).toEqual([expected]);
    expect(worker).toBeInstanceOf(SpecValidationError);
    expect((worker as SpecValidationError).issues).toEqual([expected]);
  });

  it("passes the same valid spec everywhere", () => {
    const { live, submit, worker } = threeVerdicts(tinySpec());
    expect([...live.issues, ...live.budget]).toEqual([]);
    expect(submit).toBeUndefined();
    expect(worker).toBeUndefined();
  });

  it("reports every problem at once: a bad layer field, wrong class weights and a last layer with the wrong class count", () => {
    const spec = tinySpec();
    const layers = [{ ...spec.layers[0]!, padding: "causal" }, ...spec.layers.slice(1, 3), { type: "dense", units: 10, activation: "softmax" }];
    const check = checkSpecForAssignment({ ...spec, layers, training: { ...spec.training, classWeights: { dog: 1 } } }, assignment, []);
    expect(check.issues).toEqual(expect.arrayContaining([
      { path: "layers.0.padding", message: 'must be "valid" or "same"; got "causal"' },
      expect.objectContaining({ path: "training.classWeights" }),
      { path: "layers.3.units", message: "the assignment has 3 classes, this layer gives 10 (the model must output one probability per class: [3])" },
    ]));
  });

  it("names the Keras layer and field of a wrong class count, beside the topology's other problems", () => {
    const keras = kerasTopology();
    const layers = keras.config.layers;
    layers.at(-1)!.config.units = 10;
    layers.find((l) => l.config.name === "conv2d")!.config.padding = "causal";
    const check = checkSpecForAssignment({ kind: "keras", model: keras, training: { epochs: 1 } }, assignment, []);
    const messages = check.issues.map((i) => i.message);
    expect(messages).toContain('layer `conv2d` (Conv2D), field `padding`: must be "valid" or "same"; got "causal"');
    expect(messages).toContain("layer `dense_1` (Dense), field `units`: the assignment has 3 classes, this layer gives 10 (the model must output one probability per class: [3])");
    // And once the padding is fixed, the class count alone is a violation of the same wording, on the same field.
    layers.find((l) => l.config.name === "conv2d")!.config.padding = "valid";
    const fixed = checkSpecForAssignment({ kind: "keras", model: keras, training: { epochs: 1 } }, assignment, []);
    expect(fixed.issues).toEqual([]);
    expect(fixed.violations).toContainEqual({
      path: `model.config.layers.${layers.length - 1}.config.units`,
      message: "layer `dense_1` (Dense), field `units`: the assignment has 3 classes, this layer gives 10 (the model must output one probability per class: [3])",
    });
  });

  it("reads a whole TF.js model.json (modelTopology) and a bare model.to_json() pasted as the spec, and says what is missing", () => {
    const keras = kerasTopology();
    keras.config.layers.at(-1)!.config.units = 3;
    const wrapped = checkSpecForAssignment({ kind: "keras", model: { format: "layers-model", modelTopology: { model_config: keras }, weightsManifest: [] }, training: { epochs: 1 } }, assignment, []);
    expect([...wrapped.issues, ...wrapped.violations]).toEqual([]);
    const bare = checkSpecForAssignment(JSON.stringify(keras), assignment, []);
    expect(bare.issues).toHaveLength(1);
    expect(bare.issues[0]).toMatchObject({ path: "training", message: expect.stringMatching(/this is a Keras model topology .* "Keras model.to_json\(\)" tab/) });
    expect(bare.issues.map((i) => i.path)).not.toContain("kind");
  });

  it("writes enum errors as sentences, not zod's text", () => {
    const check = checkSpecForAssignment({ ...tinySpec(), training: { ...tinySpec().training, optimizer: "adamw" } }, assignment, []);
    expect(check.issues).toEqual([{ path: "training.optimizer", message: 'must be "sgd", "momentum", "adam" or "rmsprop"; got "adamw"' }]);
    const empty = checkSpecForAssignment({ ...tinySpec(), layers: [] }, assignment, []);
    expect(empty.issues).toEqual([{ path: "layers", message: "needs at least one layer: add one" }]);
    const kind = checkSpecForAssignment({ ...tinySpec(), kind: "resnet" }, assignment, []);
    expect(kind.issues).toEqual([{ path: "kind", message: 'must be "cnn", "transfer" or "keras"; got "resnet"' }]);
  });
});
