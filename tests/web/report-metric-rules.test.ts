import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ReportView } from "@/app/submissions/[id]/report-view";
import { visibleReport } from "@/domain/grading/visible-report";
import { fakeReport } from "../queue/fixtures/builders";
import { splitMetrics } from "./fixtures";

describe("the report page's note on how the metrics are computed", () => {
  const report = { ...fakeReport(60), metrics: { public: splitMetrics(0.6), private: splitMetrics(0.5), all: splitMetrics(0.55) } };
  const html = renderToStaticMarkup(
    createElement(ReportView, { visible: visibleReport(report, { isInstructor: false, pastDeadline: false }), classes: ["circle", "square", "triangle"] }),
  );
  const note = html.slice(html.indexOf('data-testid="metric-rules"'));

  it("is a closed section a student can open, below the metrics", () => {
    expect(html).toMatch(/<details[^>]*data-testid="metric-rules"[^>]*><summary[^>]*>How these numbers are computed<\/summary>/);
    expect(html.indexOf("metric-rules")).toBeGreaterThan(html.indexOf('data-testid="metrics-table"'));
  });

  it("says what a never-predicted class and a class absent from the held-out set contribute", () => {
    expect(note).toMatch(/A class your model never predicts has\s+precision 0/);
    expect(note).toMatch(/no image in this part of the held-out set has recall 0/);
    expect(note).toMatch(/neither present nor predicted is left out rather than counted as 0/);
    expect(note).toMatch(/absent from this\s+part but predicted anyway counts, with F1 0/);
  });

  it("states the log-loss clip the grader uses: float32's epsilon, about 15.9 for a confident wrong answer", () => {
    expect(note).toContain("ε = 2⁻²³ ≈ 1.19 × 10⁻⁷");
    expect(note).toMatch(/confident wrong answer costs about\s*15\.9/);
  });
});
