import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { dbDriverName } from "@/tests/helpers/test-db";
import { quizAttempts } from "@/db/schema";
import { startAttempt } from "@/domain/quiz/start-attempt";
import { submitAttempt } from "@/domain/quiz/submit-attempt";
import { getAttemptView } from "@/domain/quiz/get-attempt-view";
import { saveDraftAnswers } from "@/domain/quiz/save-draft-answers";
import { NotFoundError } from "@/lib/errors";
import { AttemptAlreadySubmittedError, InvalidAnswersError, TimeLimitPassedError } from "@/domain/quiz/quiz-errors";
import { asShown, makeUser, openCourseQuizDb, type CourseQuizDb } from "./helpers/quiz-fixtures";

let t: CourseQuizDb;
beforeAll(async () => {
  t = await openCourseQuizDb("lesson-6-quiz");
});
afterAll(async () => {
  await t?.handle.close();
});

async function openAttempt(now?: Date) {
  const student = await makeUser(t.db, { courseId: t.courseId });
  const { attemptId } = await startAttempt(t.db, { quizId: t.quizId, userId: student, now });
  const view = await getAttemptView(t.db, { attemptId, userId: student, now });
  return { student, attemptId, view };
}

describe(`an open attempt's saved answers (${dbDriverName})`, () => {
  it("come back with the attempt, under the ids it shows, and are stored as bank ids", async () => {
    const { student, attemptId, view } = await openAttempt();
    const [first, second] = view.questions;
    const answers = asShown(view, t.texts, { [first!.id]: t.key.get(first!.id)! });
    await saveDraftAnswers(t.db, { attemptId, userId: student, answers: { ...answers, [second!.id]: [] } });

    const again = await getAttemptView(t.db, { attemptId, userId: student });
    expect(again.status).toBe("open");
    // The draft lists a question's choices in the order the attempt shows them, the key in file order.
    const sorted = (d: Record<string, string[]>) => Object.fromEntries(Object.entries(d).map(([q, ids]) => [q, [...ids].sort()]));
    expect(sorted(again.draft)).toEqual(sorted(answers));
    const [row] = await t.db.select({ draft: quizAttempts.draftAnswers }).from(quizAttempts).where(eq(quizAttempts.id, attemptId));
    expect(row!.draft).toEqual([{ questionId: first!.id, selected: [...t.key.get(first!.id)!].sort() }]);
  });

  it("are replaced by the next save, and grade nothing", async () => {
    const { student, attemptId, view } = await openAttempt();
    const q = view.questions[0]!;
    await saveDraftAnswers(t.db, { attemptId, userId: student, answers: { [q.id]: [q.choices[0]!.id] } });
    await saveDraftAnswers(t.db, { attemptId, userId: student, answers: { [q.id]: [q.choices[1]!.id] } });
    const again = await getAttemptView(t.db, { attemptId, userId: student });
    expect(again.draft).toEqual({ [q.id]: [q.choices[1]!.id] });
    expect(again.score).toBeNull();
  });

  it("are refused whole when they do not fit the attempt, like a submission", async () => {
    const { student, attemptId, view } = await openAttempt();
    const q = view.questions[0]!;
    const error = await saveDraftAnswers(t.db, { attemptId, userId: student, answers: { [q.id]: ["a"], "not-a-question": [] } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidAnswersError);
    expect((error as InvalidAnswersError).status).toBe(422);
    expect((await getAttemptView(t.db, { attemptId, userId: student })).draft).toEqual({});
  });

  it("belong to the attempt's owner only", async () => {
    const { attemptId } = await openAttempt();
    const other = await makeUser(t.db, { courseId: t.courseId });
    await expect(saveDraftAnswers(t.db, { attemptId, userId: other, answers: {} })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("cannot change once the attempt is submitted or its time is up, and a submitted attempt shows none", async () => {
    const { student, attemptId, view } = await openAttempt();
    const q = view.questions[0]!;
    await saveDraftAnswers(t.db, { attemptId, userId: student, answers: { [q.id]: [q.choices[0]!.id] } });
    await submitAttempt(t.db, { attemptId, userId: student, answers: {} });
    await expect(saveDraftAnswers(t.db, { attemptId, userId: student, answers: {} })).rejects.toBeInstanceOf(AttemptAlreadySubmittedError);
    expect((await getAttemptView(t.db, { attemptId, userId: student })).draft).toEqual({});

    const start = new Date("2026-03-01T10:00:00Z");
    const timed = await openAttempt(start);
    const late = new Date(start.getTime() + 21 * 60_000);
    await expect(saveDraftAnswers(t.db, { attemptId: timed.attemptId, userId: timed.student, answers: {}, now: late })).rejects.toBeInstanceOf(
      TimeLimitPassedError,
    );
  });
});
