import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { analyseSpec } from "@/app/courses/[slug]/assignments/[number]/builder/analyse-spec";
import { layerFromDraft, newLayer, type LayerDraft } from "@/app/courses/[slug]/assignments/[number]/builder/layer-catalogue";
import { DEFAULT_TRAINING, trainingFromDraft } from "@/app/courses/[slug]/assignments/[number]/builder/training-editor";
import { ConfusionMatrixHeatmap } from "@/app/_components/charts/confusion-matrix-heatmap";
import { RocChart } from "@/app/_components/charts/roc-chart";
import { TrainingCurves } from "@/app/_components/charts/training-curves";
import { binScores, ScoreHistogram } from "@/app/_components/charts/score-histogram";
import { niceTicks } from "@/app/_components/charts/scale";
import { registeredBases } from "@/grader/registry/registered-bases";
import { splitMetrics } from "./fixtures";

const assignment = {
  inputShape: [32, 32, 3] as [number, number, 3],
  classes: ["circle", "square", "triangle", "cross", "star"],
  budget: { maxParams: 500_000, maxFlopsPerImage: 60_000_000, maxEpochs: 20, maxInputSize: 64, wallClockSeconds: 300, maxBatchSize: 256 },
};

/** The syllabus's simple CNN as the builder's rows hold it (strings, as typed). */
const simpleCnn: LayerDraft[] = [
  { type: "conv2d", filters: "32", kernelSize: "3", padding: "valid", activation: "relu" },
  { type: "maxPooling2d", poolSize: "2", padding: "valid" },
  { type: "conv2d", filters: "64", kernelSize: "3", padding: "valid", activation: "relu" },
  { type: "maxPooling2d", poolSize: "2", padding: "valid" },
  { type: "conv2d", filters: "64", kernelSize: "3", padding: "valid", activation: "relu" },
  { type: "flatten" },
  { type: "dense", units: "64", activation: "relu" },
  { type: "dense", units: "5", activation: "softmax" },
];

const cnn = (layers: LayerDraft[], training = DEFAULT_TRAINING) => ({ kind: "cnn", layers: layers.map(layerFromDraft), training: trainingFromDraft(training) });

describe("the live builder's analysis", () => {
  it("shows the syllabus CNN's layer table with hand-computed parameters and no budget problem", () => {
    const live = analyseSpec(cnn(simpleCnn), assignment, []);
    expect(live.issues).toEqual([]);
    expect(live.budget).toEqual([]);
    expect(live.analysis!.layers.map((l) => l.outputShape)).toEqual([[30, 30, 32], [15, 15, 32], [13, 13, 64], [6, 6, 64], [4, 4, 64], [1024], [64], [5]]);
    // 896 + 18,496 + 36,928 + 65,600 + 325
    expect(live.analysis!.totalParams).toBe(122_245);
  });

  it("puts a typo on the field it concerns, with the grader's message", () => {
    const layers = simpleCnn.map((l, i) => (i === 2 ? { ...l, filters: "6x4" } : l));
    const live = analyseSpec(cnn(layers), assignment, []);
    expect(live.analysis).toBeNull();
    expect(live.issues).toContainEqual(expect.objectContaining({ path: "layers.2.filters" }));
  });

  it("flags a model over the parameter budget before anything is queued", () => {
    const layers = simpleCnn.map((l, i) => (i === 6 ? { ...l, units: "1024" } : l));
    const live = analyseSpec(cnn(layers), assignment, []);
    expect(live.budget[0]).toMatchObject({ path: "layers.6" });
    expect(live.budget[0]!.message).toMatch(/budget allows 500,000/);
  });

  it("says what to change when the last layer is not one softmax unit per class", () => {
    const live = analyseSpec(cnn([...simpleCnn.slice(0, 6), newLayer("dense", 3)]), assignment, []);
    expect(live.budget.map((i) => i.message).join(" ")).toMatch(/must output one probability per class: \[5\]/);
  });

  it("names an unregistered base in a transfer recipe", () => {
    const live = analyseSpec({ kind: "transfer", base: "vgg16", head: [{ type: "dense", units: 5, activation: "softmax" }], training: { epochs: 1 } }, assignment, []);
    expect(live.issues[0]!.message).toMatch(/Unknown base model "vgg16"/);
  });

  it("analyses a transfer recipe on the registered base: frozen base, trainable head, the last N base layers unfrozen", () => {
    const bases = registeredBases();
    expect(bases.map((b) => b.name)).toContain("shapes-base");
    const base = bases.find((b) => b.name === "shapes-base")!;
    const spec = {
      kind: "transfer",
      base: "shapes-base",
      head: [{ type: "globalAveragePooling2d" }, { type: "dense", units: 5, activation: "softmax" }],
      training: { epochs: 2 },
      fineTune: { unfreezeLast: 1, epochs: 1, learningRate: 0.0001 },
    };
    const live = analyseSpec(spec, assignment, bases);
    expect([...live.issues, ...live.budget]).toEqual([]);
    const a = live.analysis!;
    const baseRows = a.layers.filter((l) => l.path === "base");
    expect(baseRows).toHaveLength(base.layers.length);
    // Only the last base layer is unfrozen; the head's rows are all trainable.
    expect(baseRows.slice(0, -1).every((l) => l.trainableParams === 0)).toBe(true);
    expect(baseRows.at(-1)!.trainableParams).toBe(base.layers.at(-1)!.trainableParams);
    const head = a.layers.filter((l) => l.path.startsWith("head."));
    expect(a.trainableParams).toBe(baseRows.at(-1)!.trainableParams + head.reduce((n, l) => n + l.params, 0));
    // Fine-tuning at a higher learning rate than the head phase is flagged on its field.
    const hot = analyseSpec({ ...spec, fineTune: { ...spec.fineTune, learningRate: 0.01 } }, assignment, bases);
    expect(hot.budget).toContainEqual(expect.objectContaining({ path: "fineTune.learningRate" }));
  });

  it("builds the training block from the form, leaving empty fields to the grader's defaults", () => {
    expect(trainingFromDraft({ ...DEFAULT_TRAINING, batchSize: "", horizontalFlip: true, rotationRange: "15", classWeights: "balanced" })).toEqual({
      optimizer: "adam", learningRate: 0.001, epochs: 5, validationSplit: 0.1, classWeights: "balanced",
      augmentation: { horizontalFlip: true, rotationRange: 15 },
    });
  });
});

describe("the report charts render as labelled SVG", () => {
  const m = splitMetrics(0.8);
  const classes = ["circle", "square", "triangle"];

  it("draws the confusion matrix with every count, both axis titles and a colour legend", () => {
    const html = renderToStaticMarkup(createElement(ConfusionMatrixHeatmap, { matrix: m.confusionMatrix, classes, title: "Confusion matrix, public" }));
    expect(html).toContain("Predicted class");
    expect(html).toContain("True class");
    expect(html).toContain('data-chart-part="legend"');
    for (const c of classes) expect(html).toContain(`>${c}</text>`);
    expect(html).toContain("true circle, predicted square: 2 (20% of circle)");
  });

  it("draws one ROC curve per class with its AUC in the legend, and the chance line", () => {
    const html = renderToStaticMarkup(createElement(RocChart, { curves: m.roc, title: "ROC", macroAuc: m.macroAuc }));
    expect((html.match(/<polyline/g) ?? []).length).toBe(3);
    expect(html).toContain("circle (AUC 0.900)");
    expect(html).toContain("chance (AUC 0.5)");
    expect(html).toContain("False positive rate");
    expect(html).toContain("True positive rate");
  });

  it("draws training and validation curves with axes and legends", () => {
    const points = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, acc: 0.3 * epoch, valLoss: 1.1 / epoch, valAcc: 0.28 * epoch }));
    const html = renderToStaticMarkup(createElement(TrainingCurves, { points }));
    for (const label of ["training loss", "validation loss", "training accuracy", "validation accuracy", "Epoch", "Accuracy"]) expect(html).toContain(label);
  });

  it("bins scores for the histogram, 100 in the top bin", () => {
    const bins = binScores([0, 9.9, 10, 55, 100, 100]);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    const html = renderToStaticMarkup(createElement(ScoreHistogram, { title: "Scores", series: [{ label: "public score", colour: "#000", scores: [55, 60] }] }));
    expect(html).toContain("public score: 1 student scored 50–60");
    expect(html).toContain("Students");
  });

  it("chooses round tick values", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 7, 5)).toEqual([0, 2, 4, 6, 8]);
  });
});
