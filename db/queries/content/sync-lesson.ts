import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, ne, notInArray } from "drizzle-orm";
import type { Db } from "@/db";
import { lessons, quizQuestions, quizzes } from "@/db/schema";
import { lessonDir, loadLesson } from "@/assignments/content/load-lesson";
import { loadQuizFile, quizFilePath } from "@/assignments/content/load-quiz";
import { assignmentsRoot } from "@/assignments/content/read-content-file";

/** Lesson numbers that have a `lesson-<n>/lesson/lesson.yaml` under the content root. */
async function lessonNumbersOnDisk(root: string): Promise<number[]> {
  const entries = await fs.readdir(root, { withFileTypes: true });
  const numbers: number[] = [];
  for (const entry of entries) {
    const match = /^lesson-(\d+)$/.exec(entry.name);
    if (!entry.isDirectory() || !match) continue;
    const exists = await fs
      .stat(path.join(lessonDir(Number(match[1]), root), "lesson.yaml"))
      .then(() => true, (err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? false : Promise.reject(err)));
    if (exists) numbers.push(Number(match[1]));
  }
  return numbers.sort((a, b) => a - b);
}

/**
 * Registers every lesson in `assignments/` (lesson row, its quiz row and question bank) for a
 * course. Content files are validated first, so a broken file fails here with its path and the
 * field at fault, before anything is written.
 *
 * Idempotent and keyed by content hash: an unchanged lesson or quiz is left alone; a changed
 * quiz has its settings replaced and its questions upserted, and questions no longer in the file
 * are removed from the bank (answers already given to them stay on their attempts).
 */
export async function syncLessonContent(db: Db, courseId: string, root = assignmentsRoot()): Promise<void> {
  const numbers = await lessonNumbersOnDisk(root);
  const loaded = await Promise.all(
    numbers.map(async (n) => {
      const lesson = await loadLesson(lessonDir(n, root));
      const quizPath = quizFilePath(n, root);
      const hasQuiz = await fs.stat(quizPath).then(() => true, () => false);
      return { lesson, quiz: hasQuiz ? await loadQuizFile(quizPath) : null };
    }),
  );

  await db.transaction(async (tx) => {
    for (const { lesson, quiz } of loaded) {
      const [lessonRow] = await tx
        .insert(lessons)
        .values({
          courseId,
          slug: lesson.slug,
          number: lesson.number,
          title: lesson.title,
          contentHash: lesson.contentHash,
        })
        .onConflictDoUpdate({
          target: [lessons.courseId, lessons.number],
          set: { slug: lesson.slug, title: lesson.title, contentHash: lesson.contentHash, updatedAt: new Date() },
          setWhere: ne(lessons.contentHash, lesson.contentHash),
        })
        .returning({ id: lessons.id });
      const lessonId =
        lessonRow?.id ??
        (
          await tx
            .select({ id: lessons.id })
            .from(lessons)
            .where(and(eq(lessons.courseId, courseId), eq(lessons.number, lesson.number)))
        )[0]!.id;
      if (!quiz) continue;

      const [existing] = await tx
        .select({ id: quizzes.id, contentHash: quizzes.contentHash })
        .from(quizzes)
        .where(and(eq(quizzes.lessonId, lessonId), eq(quizzes.slug, quiz.quiz.slug)));
      if (existing?.contentHash === quiz.contentHash) continue;

      const values = {
        lessonId,
        slug: quiz.quiz.slug,
        title: quiz.quiz.title,
        settings: quiz.quiz.settings,
        dueAt: quiz.quiz.settings.dueAt ? new Date(quiz.quiz.settings.dueAt) : null,
        contentHash: quiz.contentHash,
      };
      const quizId = existing
        ? existing.id
        : (await tx.insert(quizzes).values(values).returning({ id: quizzes.id }))[0]!.id;
      if (existing) {
        await tx
          .update(quizzes)
          .set({ ...values, updatedAt: new Date() })
          .where(eq(quizzes.id, quizId));
      }

      const ids = quiz.quiz.questions.map((q) => q.id);
      await tx.delete(quizQuestions).where(and(eq(quizQuestions.quizId, quizId), notInArray(quizQuestions.id, ids)));
      for (const q of quiz.quiz.questions) {
        const row = {
          topic: q.topic,
          kind: q.kind,
          prompt: q.prompt,
          choices: q.choices,
          correct: q.correct,
          explanation: q.explanation,
          points: q.points,
        };
        await tx
          .insert(quizQuestions)
          .values({ quizId, id: q.id, ...row })
          .onConflictDoUpdate({ target: [quizQuestions.quizId, quizQuestions.id], set: row });
      }
    }
  });
}
