import { describe, expect, it } from "vitest";
import { numberedTitle } from "@/app/_lib/text/numbered-title";
import { markdownSummary } from "@/app/_lib/text/markdown-summary";

describe("numberedTitle", () => {
  it("puts the number before a title that does not have it", () => {
    expect(numberedTitle("Lesson", 6, "Image Classification and Transfer Learning")).toBe("Lesson 6: Image Classification and Transfer Learning");
  });

  it("does not say 'Assignment 6:' twice when the title already starts with it", () => {
    expect(numberedTitle("Assignment", 6, "Assignment 6: classify shapes, from scratch and with transfer learning")).toBe(
      "Assignment 6: classify shapes, from scratch and with transfer learning",
    );
    expect(numberedTitle("Assignment", 6, "assignment 6 — classify shapes")).toBe("Assignment 6: classify shapes");
    expect(numberedTitle("Assignment", 6, "Assignment 6")).toBe("Assignment 6");
  });

  it("keeps a title that starts with another number, or with the number as part of a longer one", () => {
    expect(numberedTitle("Assignment", 6, "Assignment 5 revisited")).toBe("Assignment 6: Assignment 5 revisited");
    expect(numberedTitle("Assignment", 6, "Assignment 60 days")).toBe("Assignment 6: Assignment 60 days");
  });
});

describe("markdownSummary", () => {
  it("gives a prompt's words without Markdown marks, code spans as written", () => {
    expect(markdownSummary("Which output makes a model an *image classifier* rather than a detector?")).toBe(
      "Which output makes a model an image classifier rather than a detector?",
    );
    expect(markdownSummary("What does `VGG16(weights=\"imagenet\", include_top=False)` leave out?")).toBe(
      'What does VGG16(weights="imagenet", include_top=False) leave out?',
    );
    expect(markdownSummary("Keep snake_case_names and `a*b*c` as they are, drop **bold** and _this_.")).toBe(
      "Keep snake_case_names and a*b*c as they are, drop bold and this.",
    );
  });

  it("keeps only the first paragraph, so a confusion-matrix table is not squeezed into a cell", () => {
    expect(markdownSummary("A classifier gives this confusion matrix:\n\n| | cat | dog |\n|---|---|---|\n| cat | 8 | 2 |")).toBe(
      "A classifier gives this confusion matrix:",
    );
  });

  it("cuts a long prompt at a word boundary and says so with an ellipsis", () => {
    const long = "word ".repeat(60).trim();
    const summary = markdownSummary(long, 40);
    expect(summary.length).toBeLessThanOrEqual(40);
    expect(summary.endsWith("word…")).toBe(true);
  });
});
