import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { quizAttempts } from "@/db/schema";

export interface AttemptSummary {
  id: string;
  attemptNumber: number;
  startedAt: Date;
  deadlineAt: Date | null;
  submittedAt: Date | null;
  score: number | null;
  maxScore: number | null;
}

/** A user's attempts at a quiz, oldest first, as stored (domain/quiz/list-my-attempts.ts closes expired ones first). */
export function listAttempts(db: Db, input: { quizId: string; userId: string }): Promise<AttemptSummary[]> {
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
