import { createHash } from "node:crypto";
import path from "node:path";
import { assignmentsRoot, parseContent, readText } from "./read-content-file";
import { quizFileSchema, type QuizFile } from "./quiz-schema";

export interface LoadedQuiz {
  quiz: QuizFile;
  /** sha256 of the file; the database sync skips work when it is unchanged. */
  contentHash: string;
  filePath: string;
}

/** The quiz bank of a lesson: `assignments/lesson-<n>/quiz.yaml`. */
export function quizFilePath(lessonNumber: number, root = assignmentsRoot()): string {
  return path.join(root, `lesson-${lessonNumber}`, "quiz.yaml");
}

/**
 * Reads and validates a quiz bank file.
 * @throws ContentFileError naming the file and each field at fault.
 */
export async function loadQuizFile(filePath: string): Promise<LoadedQuiz> {
  const text = await readText(filePath);
  const quiz = parseContent(filePath, text, quizFileSchema, "yaml");
  return { quiz, contentHash: createHash("sha256").update(text).digest("hex"), filePath };
}
