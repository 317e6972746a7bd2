import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { parse, stringify } from "yaml";
import { createTestDb, dbDriverName } from "@/tests/helpers/test-db";
import type { Db, DbHandle } from "@/db";
import { courses, lessons, quizQuestions, quizzes } from "@/db/schema";
import { syncLessonContent } from "@/db/queries/content/sync-lesson";
import { ContentFileError } from "@/assignments/content/content-error";
import { FIXTURE_CONTENT_ROOT } from "./helpers/quiz-fixtures";

let handle: DbHandle;
let db: Db;
let root: string;
let courseId: string;
const quizFile = () => path.join(root, "lesson-9", "quiz.yaml");

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  root = await fs.mkdtemp(path.join(os.tmpdir(), "tg-sync-"));
  await fs.cp(FIXTURE_CONTENT_ROOT, root, { recursive: true });
  const [course] = await db.insert(courses).values({ slug: "sync-test", title: "Sync test", joinCode: "SYNCTEST" }).returning();
  courseId = course!.id;
  await syncLessonContent(db, courseId, root);
});
afterAll(async () => {
  await handle?.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function bank() {
  const [quiz] = await db.select().from(quizzes).where(eq(quizzes.slug, "fixture-quiz"));
  const questions = await db.select().from(quizQuestions).where(eq(quizQuestions.quizId, quiz!.id));
  return { quiz: quiz!, questions: new Map(questions.map((q) => [q.id, q])) };
}

describe(`syncing content files into the database (${dbDriverName})`, () => {
  it("applies an edited quiz file: settings replaced, questions updated, removed ones dropped", async () => {
    const before = await bank();
    const [lessonBefore] = await db.select().from(lessons).where(eq(lessons.courseId, courseId));
    const raw = parse(await fs.readFile(quizFile(), "utf8"));
    raw.settings.attemptsAllowed = 5;
    raw.settings.questionsPerTopic.basics = 2;
    raw.questions[0].explanation = "A is the first letter of the Latin alphabet.";
    raw.questions = raw.questions.filter((q: { id: string }) => q.id !== "s2");
    await fs.writeFile(quizFile(), stringify(raw));

    await syncLessonContent(db, courseId, root);
    const after = await bank();
    expect(after.quiz.id).toBe(before.quiz.id);
    expect(after.quiz.contentHash).not.toBe(before.quiz.contentHash);
    expect(after.quiz.settings).toMatchObject({ attemptsAllowed: 5, questionsPerTopic: { basics: 2 } });
    expect([...after.questions.keys()].sort()).toEqual(["m1", "s1"]);
    expect(after.questions.get("s1")!.explanation).toBe("A is the first letter of the Latin alphabet.");
    // The lesson file did not change, so its row was left alone.
    const [lessonAfter] = await db.select().from(lessons).where(eq(lessons.courseId, courseId));
    expect(lessonAfter).toEqual(lessonBefore);
  });

  it("refuses a broken file with its path and field, and writes nothing", async () => {
    const before = await bank();
    const raw = parse(await fs.readFile(quizFile(), "utf8"));
    raw.questions[0].correct = ["z"];
    raw.settings.attemptsAllowed = 9;
    await fs.writeFile(quizFile(), stringify(raw));

    const error = await syncLessonContent(db, courseId, root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentFileError);
    expect((error as Error).message).toContain(`${quizFile()} is invalid`);
    expect((error as ContentFileError).problems[0]!.path).toBe("questions[0].correct[0]");
    expect(await bank()).toEqual(before);
  });
});
