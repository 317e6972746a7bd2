/**
 * `npm run content:check` (also run before `npm run build`): validates every lesson, quiz and
 * assignment file in `assignments/`, printing each problem with its file and field. Exits 1 on the first broken file.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { parseSpec } from "@/grader/spec/schema";
import { SpecValidationError } from "@/grader/errors";
import { loadAllAssignments } from "@/grader/assignment/load-assignment";
import { ContentFileError } from "./content-error";
import { lessonDir, loadLesson } from "./load-lesson";
import { loadQuizFile, quizFilePath } from "./load-quiz";
import { assignmentsRoot } from "./read-content-file";

async function main(): Promise<void> {
  const root = assignmentsRoot();
  const entries = await fs.readdir(root, { withFileTypes: true });
  let checked = 0;
  for (const entry of entries) {
    const match = /^lesson-(\d+)$/.exec(entry.name);
    if (!entry.isDirectory() || !match) continue;
    const n = Number(match[1]);
    const hasLesson = await fs.stat(path.join(lessonDir(n, root), "lesson.yaml")).then(() => true, () => false);
    if (hasLesson) {
      const lesson = await loadLesson(lessonDir(n, root));
      if (lesson.number !== n) {
        throw new ContentFileError(path.join(entry.name, "lesson", "lesson.yaml"), [
          { path: "number", message: `is ${lesson.number} but the folder is lesson-${n}` },
        ]);
      }
      // Every spec shown in the lesson must be one the grader accepts.
      for (const block of lesson.sections.flatMap((sec) => sec.blocks)) {
        if (!("specFile" in block)) continue;
        try {
          parseSpec(block.spec);
        } catch (error) {
          if (!(error instanceof SpecValidationError)) throw error;
          throw new ContentFileError(path.join(entry.name, "lesson", block.specFile), error.issues);
        }
      }
      console.log(`[content] ok  ${entry.name}/lesson (${lesson.sections.length} sections)`);
      checked++;
    }
    const hasQuiz = await fs.stat(quizFilePath(n, root)).then(() => true, () => false);
    if (hasQuiz) {
      const { quiz } = await loadQuizFile(quizFilePath(n, root));
      if (quiz.lesson !== n) {
        throw new ContentFileError(path.join(entry.name, "quiz.yaml"), [
          { path: "lesson", message: `is ${quiz.lesson} but the file is in lesson-${n}` },
        ]);
      }
      console.log(`[content] ok  ${entry.name}/quiz.yaml (${quiz.questions.length} questions)`);
      checked++;
    }
  }
  // Every assignment folder too: schema, slug matching its folder, and numbers unique.
  for (const config of await loadAllAssignments(root)) {
    const data = config.datasets === "student" ? "on students' own datasets" : `${config.classes.length} classes`;
    console.log(`[content] ok  ${config.slug}/assignment.yaml (Assignment ${config.number}, ${data})`);
    checked++;
  }
  if (checked === 0) throw new Error(`[content] no lesson, quiz or assignment files found under ${root}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ContentFileError ? `[content] ${error.message}` : error);
  process.exit(1);
});
