import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { DataTable } from "@/app/_components/ui/data-table";
import { TableCard } from "@/app/_components/ui/table-card";
import { LongText, preview } from "@/app/_components/ui/long-text";
import { ConfusionMatrixHeatmap } from "@/app/_components/charts/confusion-matrix-heatmap";
import { RocChart, tprAt } from "@/app/_components/charts/roc-chart";
import { TrainingCurves, curveTableRows } from "@/app/_components/charts/training-curves";
import { ScoreHistogram } from "@/app/_components/charts/score-histogram";
import { splitMetrics } from "./fixtures";

const html = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el);
/** The markup inside a chart's "Show data" disclosure. */
const dataPart = (markup: string) => {
  const at = markup.indexOf('data-chart-part="data"');
  expect(at, "the chart has a Show data part").toBeGreaterThan(-1);
  return markup.slice(at);
};
/** The text of the style sheet a DataTable brings (its columns' labels and tabular figures). */
const sheet = (markup: string) => /<style[^>]*>(.*?)<\/style>/s.exec(markup)?.[1] ?? "";
const cellTexts = (markup: string) => [...markup.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ""));

describe("every chart has its numbers as a table behind 'Show data'", () => {
  const m = splitMetrics(0.8);
  const classes = ["circle", "square", "triangle"];

  it("lists the confusion matrix's counts, row by row", () => {
    const part = dataPart(html(createElement(ConfusionMatrixHeatmap, { matrix: m.confusionMatrix, classes, title: "Confusion matrix" })));
    expect(part).toContain("<summary");
    expect(part).toContain("Show data");
    expect(part).toContain("predicted square");
    expect(cellTexts(part).slice(0, 4)).toEqual(["circle", ...m.confusionMatrix[0]!.map(String)]);
  });

  it("adds recall and precision to the table when the chart shows them", () => {
    const matrix = [[8, 2], [1, 9]];
    const part = dataPart(html(createElement(ConfusionMatrixHeatmap, { matrix, classes: ["a", "b"], title: "CM", recall: [0.8, 0.9], precision: [8 / 9, 9 / 11] })));
    const cells = cellTexts(part);
    expect(cells).toEqual(["a", "8", "2", "0.80", "b", "1", "9", "0.90", "precision", "0.89", "0.82", ""]);
  });

  it("reads each ROC curve's AUC and its true-positive rate at fixed false-positive rates", () => {
    const part = dataPart(html(createElement(RocChart, { curves: m.roc, title: "ROC", macroAuc: m.macroAuc })));
    expect(part).toContain("TPR at FPR 0.1");
    expect(cellTexts(part)).toContain(m.roc[0]!.auc!.toFixed(3));
    expect(tprAt([{ fpr: 0, tpr: 0 }, { fpr: 0.1, tpr: 0.6 }, { fpr: 0.3, tpr: 0.9 }, { fpr: 1, tpr: 1 }], 0.25)).toBe(0.6);
  });

  it("gives the training curves one row per epoch, and a live run's latest batch point", () => {
    const points = [1, 2].map((epoch) => ({ epoch, loss: 1 / epoch, acc: 0.4 * epoch, valLoss: 1.2 / epoch, valAcc: 0.35 * epoch }));
    const part = dataPart(html(createElement(TrainingCurves, { points })));
    expect(cellTexts(part)).toEqual(["1", "1.0000", "1.2000", "40.0%", "35.0%", "2", "0.5000", "0.6000", "80.0%", "70.0%"]);
    const live = [...points, { epoch: 2.25, loss: 0.4, acc: 0.82, valLoss: null, valAcc: null }, { epoch: 2.5, loss: 0.38, acc: 0.83, valLoss: null, valAcc: null }];
    expect(curveTableRows(live).map((p) => p.epoch)).toEqual([1, 2, 2.5]);
  });

  it("counts students per score range for the histogram", () => {
    const part = dataPart(html(createElement(ScoreHistogram, { title: "Scores", series: [{ label: "public", colour: "#000", scores: [55, 58, 91] }] })));
    const cells = cellTexts(part);
    expect(cells.slice(10, 12)).toEqual(["50–60", "2"]);
    expect(cells.slice(18, 20)).toEqual(["90–100", "1"]);
  });
});

describe("DataTable", () => {
  const rows = [{ id: 1, name: "first", score: 71.5 }, { id: 2, name: "second", score: 64 }];
  const columns = [
    { header: "Name", cell: (r: (typeof rows)[number]) => r.name },
    { header: "Score", numeric: true, cell: (r: (typeof rows)[number]) => r.score.toFixed(1) },
    { header: "", cell: () => "open" },
  ];

  it("scrolls inside a focusable, named box rather than widening the page", () => {
    const out = html(createElement(DataTable<(typeof rows)[number]>, { columns, rows, rowKey: (r) => r.id, label: "Scores" }));
    expect(out).toMatch(/<div role="region" aria-label="Scores" tabindex="0" class="[^"]*overflow-x-auto/);
    expect(out).toContain('<th scope="col"');
    expect(cellTexts(out)).toEqual(["first", "71.5", "open", "second", "64.0", "open"]);
  });

  it("labels each value in the card layout from one style sheet, keeping the table's roles", () => {
    const out = html(createElement(DataTable<(typeof rows)[number]>, { columns, rows, rowKey: (r) => r.id, label: "Scores", layout: "cards" }));
    expect(out).toContain('role="table"');
    const css = sheet(out);
    const name = /class="[^"]*\b(dt-[a-z0-9]+)/.exec(out)![1]!;
    expect(css).toContain(`.${name}>tbody>tr>:nth-child(1)::before{content:"Name"}`);
    expect(css).toContain(`.${name}>tbody>tr>:nth-child(2)::before{content:"Score"}`);
    expect(css).toContain(`.${name}>:not(tfoot)>tr>:nth-child(2){font-variant-numeric:tabular-nums}`);
    // A column without a header shows its value alone.
    expect(css).not.toContain("nth-child(3)");
    // Each cell is bare: no label, class or style repeated on every one of a page's hundreds of cells.
    expect(out).toContain('<td role="cell">first</td><td role="cell">71.5</td>');
  });

  it("keeps a header's quotes and markup inside the style sheet's strings", () => {
    const hostile = [{ header: 'Score "best" </style><b>', cell: (r: (typeof rows)[number]) => r.name }];
    const out = html(createElement(DataTable<(typeof rows)[number]>, { columns: hostile, rows, rowKey: (r) => r.id, label: "Scores", layout: "cards" }));
    expect(out.match(/<\/style>/g)).toHaveLength(1);
    expect(sheet(out)).toContain('content:"Score \\22 best\\22  \\3c /style\\3e \\3c b\\3e "');
  });

  it("gives tables with the same columns one style sheet", () => {
    const two = createElement("div", null, ...["A", "B"].map((label) => createElement(DataTable<(typeof rows)[number]>, { key: label, columns, rows, rowKey: (r) => r.id, label, layout: "cards" })));
    expect(html(two).match(/<style/g)).toHaveLength(1);
  });

  it("shows the empty message instead of a table with no rows", () => {
    expect(html(createElement(DataTable<(typeof rows)[number]>, { columns, rows: [], rowKey: (r) => r.id, label: "Scores", empty: "Nothing yet." }))).toBe("Nothing yet.");
  });
});

describe("TableCard", () => {
  const rows = [{ id: "a", n: 1 }, { id: "b", n: 2 }];
  const columns = [{ header: "Attempt", numeric: true, cell: (r: (typeof rows)[number]) => r.n }];

  it("puts its heading over the table, and the test id on the card, not the table", () => {
    const out = html(createElement(TableCard<(typeof rows)[number]>, { heading: "Your attempts", testId: "attempts", columns, rows, rowKey: (r) => r.id, label: "Your attempts", layout: "cards" }));
    // (renderToStaticMarkup puts the table's style sheet first; a page has it in its head.)
    expect(out.replace(/^<style[^>]*>.*?<\/style>/s, "")).toMatch(/^<section [^>]*data-testid="attempts"[^>]*><h2[^>]*>Your attempts<\/h2>/);
    expect(out.match(/data-testid=/g)).toHaveLength(1);
    expect(cellTexts(out)).toEqual(["1", "2"]);
    expect(sheet(out)).toContain('::before{content:"Attempt"}');
  });

  it("shows the table's empty message under the heading when there are no rows", () => {
    const out = html(createElement(TableCard<(typeof rows)[number]>, { heading: "Runs", columns, rows: [], rowKey: (r) => r.id, label: "Runs", empty: "No runs yet." }));
    expect(out).toContain(">Runs</h2>");
    expect(out).toContain("No runs yet.");
    expect(out).not.toContain("<table");
  });
});

describe("LongText", () => {
  const long = "This submission was refused: layer `conv2d_1` (Conv2D), field `filters`: 4096 filters give 37,752,832 parameters; this assignment allows 500,000. Layer `dense_1` (Dense), field `units`: the assignment has 5 classes, this layer gives 10.";

  it("shows a long message's start with a 'more' disclosure holding all of it", () => {
    const out = html(createElement(LongText, { text: long }));
    expect(out).toContain("<details");
    expect(out).toMatch(/<summary[^>]*><span[^>]*>This submission was refused:[^<]*… <\/span><span[^>]*>more<\/span>/);
    expect(out).toContain(long);
    expect(preview(long, 90).length).toBeLessThanOrEqual(91);
    expect(preview(long, 90).endsWith("…")).toBe(true);
  });

  it("leaves a short message as it is", () => {
    expect(html(createElement(LongText, { text: "Over the daily limit." }))).not.toContain("<details");
  });
});
