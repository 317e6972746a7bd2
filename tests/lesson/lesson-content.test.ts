import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ContentFileError } from "@/assignments/content/content-error";
import { lessonDir, loadLesson, type LoadedLesson } from "@/assignments/content/load-lesson";

const lesson: LoadedLesson = await loadLesson(lessonDir(6));
const allText = lesson.sections
  .flatMap((s) => [s.title, ...s.blocks.map((b) => ("markdown" in b ? b.markdown : "notes" in b ? (b.notes ?? "") : ""))])
  .join("\n");
const examples = lesson.sections.flatMap((s) => s.blocks.filter((b) => b.type === "example"));
const figures = lesson.sections.flatMap((s) => s.blocks.filter((b) => b.type === "figure"));

describe("the Lesson 6 content files", () => {
  it("load and validate", () => {
    expect(lesson.number).toBe(6);
    expect(lesson.sections.length).toBeGreaterThanOrEqual(7);
    expect(lesson.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["what image classification is", /image classification/i],
    ["its applications", /faces?[\s\S]*scenes?/i],
    ["convolutional layers", /convolutional layer/i],
    ["pooling layers", /pooling layer/i],
    ["fully connected layers", /fully connected/i],
    ["transfer learning and its benefits", /transfer learning[\s\S]*benefits/i],
    ["VGG16", /VGG16/],
    ["ResNet", /ResNet/],
    ["Inception", /Inception/],
    ["MobileNet", /MobileNet/],
    ["freezing the base", /freez/i],
    ["adding a head", /head/i],
    ["fine-tuning at a low learning rate", /fine-tun[\s\S]*lower learning rate/i],
    ["accuracy, precision, recall and F1", /accuracy[\s\S]*precision[\s\S]*recall[\s\S]*F1/],
    ["the confusion matrix", /confusion matrix/i],
    ["the ROC curve", /ROC curve/],
    ["imbalanced datasets", /imbalanced/i],
    ["variation in image quality", /image quality/i],
  ])("covers the syllabus topic: %s", (_topic, pattern) => {
    expect(allText).toMatch(pattern);
  });

  it("shows the syllabus's three code examples, each beside a submission spec", () => {
    expect(examples).toHaveLength(3);
    for (const example of examples) {
      expect(example.keras.length).toBeGreaterThan(100);
      expect(Object.keys(example.spec)).toContain("kind");
    }
  });

  it("uses current Keras APIs in every example", () => {
    for (const example of examples) {
      const code = example.keras.replace(/#.*$/gm, ""); // comments may name the old APIs
      expect(code).not.toMatch(/\blr\s*=/); // removed argument: learning_rate
      expect(code).not.toMatch(/ImageDataGenerator|flow_from_directory/); // deprecated
      expect(code).not.toMatch(/input_shape=\(32/); // Sequential input: layers.Input
    }
    expect(examples.map((e) => e.keras).join("\n")).toMatch(/Adam\(learning_rate=1e-5\)/);
    expect(examples[0]!.keras).toMatch(/layers\.Input\(shape=\(32, 32, 3\)\)/);
    expect(examples[1]!.keras).toMatch(/image_dataset_from_directory/);
  });

  it("has a layer diagram, a worked confusion matrix and an ROC curve", () => {
    expect(figures.map((f) => f.figure).sort()).toEqual(["cnn-layers", "confusion-matrix", "roc-curve"]);
  });
});

describe("a broken lesson file", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
  });

  async function lessonWith(yaml: string, files: Record<string, string> = {}): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tg-lesson-"));
    dirs.push(dir);
    await fs.writeFile(path.join(dir, "lesson.yaml"), yaml);
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
    return dir;
  }

  const head = `number: 6\nslug: demo\ntitle: A demo lesson\nsummary: A lesson used to test error messages.\nobjectives: [Read error messages]\n`;

  it("fails with the file's path and the field at fault", async () => {
    const dir = await lessonWith(`${head}sections:\n  - id: Intro Section\n    title: Intro\n    blocks: [{ type: markdown, file: a.md }]\n`, {
      "a.md": "hello",
    });
    const error = await loadLesson(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentFileError);
    expect((error as Error).message).toContain(`${path.join(dir, "lesson.yaml")} is invalid`);
    expect((error as ContentFileError).problems[0]!.path).toBe("sections[0].id");
  });

  it("names the field that refers to a missing file", async () => {
    const dir = await lessonWith(`${head}sections:\n  - id: intro\n    title: Intro\n    blocks: [{ type: markdown, file: missing.md }]\n`);
    const error = (await loadLesson(dir).catch((e: unknown) => e)) as ContentFileError;
    expect(error.problems).toEqual([
      { path: "sections[0].blocks[0].file", message: expect.stringContaining("missing.md, which does not exist") },
    ]);
  });

  it("names the line of a YAML syntax error", async () => {
    const dir = await lessonWith(`${head}sections: [\n  - id: intro\n`);
    const error = (await loadLesson(dir).catch((e: unknown) => e)) as ContentFileError;
    expect(error).toBeInstanceOf(ContentFileError);
    expect(error.problems[0]!.path).toMatch(/^line \d+$/);
  });

  it("checks that a confusion matrix has one row and column per class", async () => {
    const dir = await lessonWith(
      `${head}sections:\n  - id: eval\n    title: Evaluation\n    blocks:\n      - { type: figure, figure: confusion-matrix, classes: [a, b], matrix: [[1, 2], [3]], caption: A matrix }\n`,
    );
    const error = (await loadLesson(dir).catch((e: unknown) => e)) as ContentFileError;
    expect(error.problems).toContainEqual({ path: "sections[0].blocks[0].matrix[1]", message: "needs one count per class (2), found 1" });
  });
});
