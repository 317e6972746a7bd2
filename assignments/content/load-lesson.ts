import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import {
  lessonFileSchema,
  type ConfusionFigureSource,
  type LessonFile,
  type RocFigureSource,
} from "./lesson-schema";
import { assignmentsRoot, parseContent, readText } from "./read-content-file";

/** A submission spec file as embedded in the lesson: any JSON object; its shape is checked by the grader's schema. */
const specJsonSchema = z.record(z.unknown());

export type ResolvedBlock =
  | { type: "markdown"; file: string; markdown: string }
  | {
      type: "example";
      title: string;
      kerasFile: string;
      keras: string;
      specFile: string;
      spec: Record<string, unknown>;
      /** The spec file as written, for display (its layout is part of the teaching). */
      specText: string;
      notes?: string;
    }
  | { type: "figure"; figure: "cnn-layers"; specFile: string; spec: Record<string, unknown>; caption: string }
  | ConfusionFigureSource
  | RocFigureSource;

export interface ResolvedSection {
  id: string;
  title: string;
  blocks: ResolvedBlock[];
}

export interface LoadedLesson extends Omit<LessonFile, "sections"> {
  sections: ResolvedSection[];
  /** sha256 over lesson.yaml and every file it refers to, in order. */
  contentHash: string;
  dir: string;
}

/** The folder holding a lesson's text: `assignments/lesson-<n>/lesson/`. */
export function lessonDir(lessonNumber: number, root = assignmentsRoot()): string {
  return path.join(root, `lesson-${lessonNumber}`, "lesson");
}

/**
 * Reads `lesson.yaml` in `dir`, validates it, and reads every Markdown, Keras and spec file it
 * refers to. Spec files are parsed as JSON objects here; `parseSpec` from the grader checks them in
 * `tests/lesson/lesson-specs.test.ts` so the lesson cannot drift from what the grader accepts.
 * @throws ContentFileError naming the file and the field at fault.
 */
export async function loadLesson(dir: string): Promise<LoadedLesson> {
  const indexPath = path.join(dir, "lesson.yaml");
  const indexText = await readText(indexPath);
  const lesson = parseContent(indexPath, indexText, lessonFileSchema, "yaml");
  const hash = createHash("sha256").update(indexText);

  const read = async (relative: string, field: string) => {
    const text = await readText(path.join(dir, relative), { file: indexPath, field });
    hash.update(`\0${relative}\0${text}`);
    return text;
  };
  const readSpec = async (relative: string, field: string) => {
    const text = await read(relative, field);
    return { text, spec: parseContent(path.join(dir, relative), text, specJsonSchema, "json") };
  };

  const sections: ResolvedSection[] = [];
  for (const [s, section] of lesson.sections.entries()) {
    const blocks: ResolvedBlock[] = [];
    for (const [b, block] of section.blocks.entries()) {
      const field = `sections[${s}].blocks[${b}]`;
      if (block.type === "markdown") {
        blocks.push({ type: "markdown", file: block.file, markdown: await read(block.file, `${field}.file`) });
      } else if (block.type === "example") {
        const { spec, text } = await readSpec(block.spec, `${field}.spec`);
        blocks.push({
          type: "example",
          title: block.title,
          kerasFile: block.keras,
          keras: await read(block.keras, `${field}.keras`),
          specFile: block.spec,
          spec,
          specText: text,
          notes: block.notes,
        });
      } else if (block.figure === "cnn-layers") {
        blocks.push({
          type: "figure",
          figure: "cnn-layers",
          specFile: block.spec,
          spec: (await readSpec(block.spec, `${field}.spec`)).spec,
          caption: block.caption,
        });
      } else {
        blocks.push(block);
      }
    }
    sections.push({ id: section.id, title: section.title, blocks });
  }
  return { ...lesson, sections, contentHash: hash.digest("hex"), dir };
}
