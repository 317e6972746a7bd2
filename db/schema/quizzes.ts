import { index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, boolean } from "drizzle-orm/pg-core";
import { idColumn, ownedBy, timeNow } from "./columns";
import { lessons } from "./courses";
import { users } from "./users";

export const quizzes = pgTable(
  "quizzes",
  {
    id: idColumn(),
    lessonId: ownedBy("lesson_id", () => lessons.id),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    /** Parsed quiz settings (questions per attempt, attempts, time limit, answer release). */
    settings: jsonb("settings").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    contentHash: text("content_hash").notNull(),
    updatedAt: timeNow("updated_at"),
  },
  (t) => [uniqueIndex("quizzes_lesson_slug_idx").on(t.lessonId, t.slug)],
);

/** Question bank rows; `correct` and `explanation` are read on the server only. */
export const quizQuestions = pgTable(
  "quiz_questions",
  {
    quizId: ownedBy("quiz_id", () => quizzes.id),
    id: text("id").notNull(),
    topic: text("topic").notNull(),
    kind: text("kind").notNull(),
    prompt: text("prompt").notNull(),
    choices: jsonb("choices").notNull(),
    correct: jsonb("correct").notNull(),
    explanation: text("explanation").notNull(),
    points: real("points").notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.quizId, t.id] })],
);

export const quizAttempts = pgTable(
  "quiz_attempts",
  {
    id: idColumn(),
    quizId: ownedBy("quiz_id", () => quizzes.id),
    userId: ownedBy("user_id", () => users.id),
    attemptNumber: integer("attempt_number").notNull(),
    seed: integer("seed").notNull(),
    /** The drawn questions in order, each with its shuffled choice order. */
    layout: jsonb("layout").notNull(),
    startedAt: timeNow("started_at"),
    deadlineAt: timestamp("deadline_at", { withTimezone: true }),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    score: real("score"),
    maxScore: real("max_score"),
    /**
     * An open attempt's answers so far, saved as the student picks them so a reload keeps them:
     * `[{ questionId, selected }]` with bank choice ids, validated like a submission. Not a submission.
     */
    draftAnswers: jsonb("draft_answers"),
  },
  (t) => [
    uniqueIndex("quiz_attempts_user_number_idx").on(t.quizId, t.userId, t.attemptNumber),
    index("quiz_attempts_quiz_idx").on(t.quizId, t.submittedAt),
  ],
);

export const quizAnswers = pgTable(
  "quiz_answers",
  {
    attemptId: ownedBy("attempt_id", () => quizAttempts.id),
    questionId: text("question_id").notNull(),
    selected: jsonb("selected").notNull(),
    isCorrect: boolean("is_correct").notNull(),
    credit: real("credit").notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.questionId] })],
);
