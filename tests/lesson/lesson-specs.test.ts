import { describe, expect, it } from "vitest";
import { lessonDir, loadLesson } from "@/assignments/content/load-lesson";
import { parseSpec } from "@/grader/spec/schema";
import { analyzeSpec } from "@/grader/spec/analyze";

/*
 * The lesson shows submission specs beside Keras code. These tests run every one of them through
 * the grader's own parser, so a change to the spec format that breaks the lesson fails here.
 */
const lesson = await loadLesson(lessonDir(6));
const specs = lesson.sections.flatMap((section) =>
  section.blocks.flatMap((block) =>
    block.type === "example" || (block.type === "figure" && block.figure === "cnn-layers")
      ? [{ where: `${section.id}: ${block.specFile}`, spec: block.spec }]
      : [],
  ),
);

describe("the submission specs embedded in the lesson", () => {
  it.each(specs)("are accepted by the grader's parseSpec ($where)", ({ spec }) => {
    expect(() => parseSpec(spec)).not.toThrow();
  });

  it("describe the same CNN as the Keras example: 122,570 parameters, 10 outputs", () => {
    const spec = parseSpec(specs[0]!.spec);
    const analysis = analyzeSpec(spec, { inputShape: [32, 32, 3] });
    // Keras' model.summary() for the syllabus CNN reports 122,570 trainable parameters.
    expect(analysis.totalParams).toBe(122_570);
    expect(analysis.outputShape).toEqual([10]);
  });

  it("ask for fine-tuning at a learning rate 100 times lower than the head's", () => {
    const fineTune = specs.map((s) => parseSpec(s.spec)).find((s) => s.kind === "transfer" && s.fineTune);
    expect(fineTune?.kind === "transfer" && fineTune.fineTune).toMatchObject({ unfreezeLast: 4, learningRate: 1e-5 });
    expect(fineTune?.training.learningRate).toBe(1e-3);
  });
});
