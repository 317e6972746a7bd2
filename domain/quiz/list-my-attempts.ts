import type { Db } from "@/db";
import { listAttempts, type AttemptSummary } from "@/db/queries/quiz/list-attempts";
import { closeExpiredAttempts } from "./close-expired-attempts";

/** A student's attempts at a quiz, oldest first (expired open ones are closed first). */
export async function listMyAttempts(
  db: Db,
  input: { quizId: string; userId: string; now?: Date },
): Promise<AttemptSummary[]> {
  await closeExpiredAttempts(db, { ...input, now: input.now ?? new Date() });
  return listAttempts(db, input);
}
