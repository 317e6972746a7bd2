import type { Db } from "@/db";
import { toCsv } from "@/lib/csv";
import { bestScores } from "./best-scores";

export const SCORES_CSV_HEADER = [
  "name",
  "email",
  "attempts",
  "best_score",
  "max_score",
  "best_percent",
  "last_submitted_at",
] as const;

/** Every enrolled student's best quiz score as CSV, one row per student (blank scores: not attempted). */
export async function exportScoresCsv(db: Db, quizId: string): Promise<string> {
  const rows = await bestScores(db, quizId);
  return toCsv(
    SCORES_CSV_HEADER,
    rows.map((r) => [
      r.name,
      r.email,
      r.attempts,
      r.bestScore,
      r.maxScore,
      r.bestScore !== null && r.maxScore ? Math.round((r.bestScore / r.maxScore) * 1000) / 10 : null,
      r.lastSubmittedAt?.toISOString() ?? null,
    ]),
  );
}
