import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAttempts, quizQuestions } from "@/db/schema";
import { choicesSchema, type StoredLayout } from "./quiz-rows";

export interface StartedAttempt {
  attemptId: string;
  attemptNumber: number;
  /** False when an attempt already in progress was returned instead of a new one. */
  created: boolean;
}

/** Postgres unique_violation: two starts raced for the same attempt number. */
const UNIQUE_VIOLATION = "23505";

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}

/** Every question of a quiz's bank, with what the draw needs (no answer key). */
export async function quizBank(db: Db, quizId: string) {
  const rows = await db
    .select({ id: quizQuestions.id, topic: quizQuestions.topic, choices: quizQuestions.choices, points: quizQuestions.points })
    .from(quizQuestions)
    .where(eq(quizQuestions.quizId, quizId));
  return rows.map((row) => ({ ...row, choices: choicesSchema.parse(row.choices) }));
}

const mine = (quizId: string, userId: string) => and(eq(quizAttempts.quizId, quizId), eq(quizAttempts.userId, userId));

/** The user's attempt at this quiz that is still open, if any. */
export async function findOpenAttempt(db: Db, quizId: string, userId: string) {
  const [row] = await db
    .select({ id: quizAttempts.id, attemptNumber: quizAttempts.attemptNumber })
    .from(quizAttempts)
    .where(and(mine(quizId, userId), isNull(quizAttempts.submittedAt)))
    .limit(1);
  return row;
}

/** How many attempts (open, submitted or timed out) the user has made at this quiz. */
export async function countAttempts(db: Db, quizId: string, userId: string): Promise<number> {
  const [{ used }] = (await db.select({ used: count() }).from(quizAttempts).where(mine(quizId, userId))) as [{ used: number }];
  return used;
}

/**
 * Inserts attempt number `attemptNumber`. The unique (quiz, user, number) index makes two racing
 * starts collide: the loser gets back the attempt the winner made instead of a second one.
 */
export async function insertAttempt(
  db: Db,
  values: {
    quizId: string;
    userId: string;
    attemptNumber: number;
    seed: number;
    layout: StoredLayout;
    startedAt: Date;
    deadlineAt: Date | null;
    maxScore: number;
  },
): Promise<StartedAttempt> {
  try {
    const [row] = await db
      .insert(quizAttempts)
      .values(values)
      .returning({ id: quizAttempts.id, attemptNumber: quizAttempts.attemptNumber });
    return { attemptId: row!.id, attemptNumber: row!.attemptNumber, created: true };
  } catch (error) {
    // A concurrent start won the race for this attempt number: hand back the attempt it made.
    if (!isUniqueViolation(error)) throw error;
    const raced = await findOpenAttempt(db, values.quizId, values.userId);
    if (!raced) throw error;
    return { attemptId: raced.id, attemptNumber: raced.attemptNumber, created: false };
  }
}
