import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAttempts } from "@/db/schema";
import { closeExpiredAttempts } from "./close-expired-attempts";

export interface AttemptSummary {
  id: string;
  attemptNumber: number;
  startedAt: Date;
  deadlineAt: Date | null;
  submittedAt: Date | null;
  score: number | null;
  maxScore: number | null;
}

/** A student's attempts at a quiz, oldest first (expired open ones are closed first). */
export async function listMyAttempts(
  db: Db,
  input: { quizId: string; userId: string; now?: Date },
): Promise<AttemptSummary[]> {
  await closeExpiredAttempts(db, { ...input, now: input.now ?? new Date() });
  return db
    .select({
      id: quizAttempts.id,
      attemptNumber: quizAttempts.attemptNumber,
      startedAt: quizAttempts.startedAt,
      deadlineAt: quizAttempts.deadlineAt,
      submittedAt: quizAttempts.submittedAt,
      score: quizAttempts.score,
      maxScore: quizAttempts.maxScore,
    })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.quizId, input.quizId), eq(quizAttempts.userId, input.userId)))
    .orderBy(asc(quizAttempts.attemptNumber));
}
