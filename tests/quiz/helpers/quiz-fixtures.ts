import path from "node:path";
import { eq } from "drizzle-orm";
import type { Db, DbHandle } from "@/db";
import { courses, enrollments, quizQuestions, quizzes, users } from "@/db/schema";
import { syncLessonContent } from "@/db/queries/content/sync-lesson";
import type { AttemptView } from "@/domain/quiz/attempt-view";
import { createTestDb } from "@/tests/helpers/test-db";

/** Content root holding the small, predictable lesson 9 quiz used by the statistics tests. */
export const FIXTURE_CONTENT_ROOT = path.join(import.meta.dirname, "..", "fixtures", "content");

let counter = 0;

/** A user with a unique email; enrolled in `courseId` when given. */
export async function makeUser(
  db: Db,
  opts: { role?: "student" | "instructor"; courseId?: string; name?: string } = {},
): Promise<string> {
  counter += 1;
  const role = opts.role ?? "student";
  const [user] = await db
    .insert(users)
    .values({ email: `${role}-${counter}-${crypto.randomUUID()}@example.test`, name: opts.name ?? `${role} ${counter}`, role })
    .returning({ id: users.id });
  if (opts.courseId) await db.insert(enrollments).values({ courseId: opts.courseId, userId: user!.id, role });
  return user!.id;
}

/** A course with its lesson content synced from `root` (the real `assignments/` by default). */
export async function makeCourseWithContent(db: Db, root?: string): Promise<string> {
  const [course] = await db
    .insert(courses)
    .values({ slug: `course-${crypto.randomUUID()}`, title: "Test course", joinCode: crypto.randomUUID().slice(0, 8) })
    .returning({ id: courses.id });
  await syncLessonContent(db, course!.id, root);
  return course!.id;
}

/** The id of the quiz with this slug (there is one per course in these tests). */
export async function quizIdBySlug(db: Db, slug: string): Promise<string> {
  const [row] = await db.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.slug, slug));
  if (!row) throw new Error(`no quiz ${slug}`);
  return row.id;
}

/** The answer key, read straight from the bank: what a student who knows everything would submit. */
export async function answerKey(db: Db, quizId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ id: quizQuestions.id, correct: quizQuestions.correct })
    .from(quizQuestions)
    .where(eq(quizQuestions.quizId, quizId));
  return new Map(rows.map((r) => [r.id, r.correct as string[]]));
}

/**
 * The bank's choice texts per question: what a student reads, and how these tests find a choice
 * in an attempt whose ids are opaque (choice texts are unique within a question in our banks).
 */
export async function choiceTexts(db: Db, quizId: string): Promise<Map<string, Map<string, string>>> {
  const rows = await db
    .select({ id: quizQuestions.id, choices: quizQuestions.choices })
    .from(quizQuestions)
    .where(eq(quizQuestions.quizId, quizId));
  return new Map(rows.map((r) => [r.id, new Map((r.choices as { id: string; text: string }[]).map((c) => [c.id, c.text]))]));
}

/**
 * A course synced from `root` (the real `assignments/` by default) and one of its quizzes, with its answer key and
 * choice texts: what the attempt tests start from.
 */
export async function courseWithQuiz(
  db: Db,
  slug: string,
  root?: string,
): Promise<{ courseId: string; quizId: string; key: Map<string, string[]>; texts: Map<string, Map<string, string>> }> {
  const courseId = await makeCourseWithContent(db, root);
  const quizId = await quizIdBySlug(db, slug);
  return { courseId, quizId, key: await answerKey(db, quizId), texts: await choiceTexts(db, quizId) };
}

/**
 * Answers given by bank choice id, as the page would send them: each choice found by its text
 * among the attempt's choices and named by the id the attempt showed it with.
 */
export function asShown(
  view: AttemptView,
  texts: Map<string, Map<string, string>>,
  byBankId: Record<string, readonly string[]>,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(byBankId).map(([questionId, bankIds]) => {
      const question = view.questions.find((q) => q.id === questionId);
      if (!question) throw new Error(`question ${questionId} is not in attempt ${view.attemptId}`);
      return [
        questionId,
        bankIds.map((bankId) => {
          const text = texts.get(questionId)?.get(bankId);
          const shown = question.choices.find((c) => c.text === text);
          if (!shown) throw new Error(`choice ${questionId}/${bankId} is not shown in attempt ${view.attemptId}`);
          return shown.id;
        }),
      ];
    }),
  );
}

/** A test database holding a synced course and one of its quizzes, with that quiz's key and choice texts. */
export interface CourseQuizDb {
  handle: DbHandle;
  db: Db;
  courseId: string;
  quizId: string;
  key: Map<string, string[]>;
  texts: Map<string, Map<string, string>>;
}

/** A fresh test database with the course from `root` (the real `assignments/` by default) and its quiz `slug`. Close `handle` when done. */
export async function openCourseQuizDb(slug: string, root?: string): Promise<CourseQuizDb> {
  const handle = await createTestDb();
  return { handle, db: handle.db, ...(await courseWithQuiz(handle.db, slug, root)) };
}
