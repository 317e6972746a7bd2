import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { lessonDir, loadLesson } from "@/assignments/content/load-lesson";
import { cnnFigureData, confusionFigureData, rocFigureData } from "@/app/lessons/_components/figure-data";
import { CnnLayersFigure, ConfusionMatrixFigure, RocCurveFigure } from "@/app/lessons/_components/lesson-figures";

const lesson = await loadLesson(lessonDir(6));
const blocks = lesson.sections.flatMap((s) => s.blocks);
const cnn = blocks.find((b) => b.type === "figure" && b.figure === "cnn-layers");
const confusion = blocks.find((b) => b.type === "figure" && b.figure === "confusion-matrix");
const roc = blocks.find((b) => b.type === "figure" && b.figure === "roc-curve");

describe("the CNN layer diagram", () => {
  it("shows each layer's output shape and parameters, computed from the spec", () => {
    if (cnn?.type !== "figure" || cnn.figure !== "cnn-layers") throw new Error("lesson lost its layer diagram");
    const data = cnnFigureData(cnn.spec);
    expect(data.layers.map((l) => [l.type, l.outputShape.join("×"), l.params])).toEqual([
      ["conv2d", "30×30×32", 896],
      ["maxPooling2d", "15×15×32", 0],
      ["conv2d", "13×13×64", 18_496],
      ["maxPooling2d", "6×6×64", 0],
      ["conv2d", "4×4×64", 36_928],
      ["flatten", "1024", 0],
      ["dense", "64", 65_600],
      ["dense", "10", 650],
    ]);
    const svg = renderToStaticMarkup(createElement(CnnLayersFigure, { spec: cnn.spec, caption: cnn.caption }));
    expect(svg).toContain("<svg");
    expect(svg).toContain("15×15×32");
    expect(svg).toContain("65,600 params");
    expect(svg).toContain("122,570");
  });
});

describe("the worked confusion matrix", () => {
  it("computes precision down columns and recall along rows", () => {
    const d = confusionFigureData(["cat", "dog", "fox"], [
      [42, 6, 2],
      [9, 36, 5],
      [1, 7, 32],
    ]);
    expect(d.precision.map((p) => p.toFixed(3))).toEqual([(42 / 52).toFixed(3), (36 / 49).toFixed(3), (32 / 39).toFixed(3)]);
    expect(d.recall).toEqual([42 / 50, 36 / 50, 32 / 40]);
    expect(d.accuracy).toBeCloseTo(110 / 140, 10);
  });

  it("writes out the arithmetic for the class with the lowest F1", () => {
    if (confusion?.type !== "figure" || confusion.figure !== "confusion-matrix") throw new Error("lesson lost its confusion matrix");
    const html = renderToStaticMarkup(
      createElement(ConfusionMatrixFigure, { classes: confusion.classes, matrix: confusion.matrix, caption: confusion.caption }),
    );
    expect(html).toContain("36 / (6 + 36 + 7) = 36 / 49 = 0.73");
    expect(html).toContain("36 / (9 + 36 + 5) = 36 / 50 = 0.72");
    expect(html).toContain("110 / 140 = 0.79");
  });
});

describe("the ROC curve", () => {
  it("has the AUC of the pairwise ranking: 55 of 63 positive–negative pairs ordered right", () => {
    if (roc?.type !== "figure" || roc.figure !== "roc-curve") throw new Error("lesson lost its ROC curve");
    const d = rocFigureData(roc.scores, roc.labels);
    expect(d.auc).toBeCloseTo(55 / 63, 10);
    expect(d.points[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(d.points.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    const svg = renderToStaticMarkup(createElement(RocCurveFigure, { scores: roc.scores, labels: roc.labels, caption: roc.caption }));
    expect(svg).toContain("positive (AUC 0.873)");
    expect(svg).toContain("the AUC of 0.87 is the share of those pairs");
  });
});
