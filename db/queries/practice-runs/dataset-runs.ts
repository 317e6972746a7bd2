import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reports, submissions } from "@/db/schema";
import type { SubmissionPurpose } from "@/db/schema/grading";

/** One run on a student's dataset, as the dataset page lists it. */
export interface DatasetRunRow {
  id: string;
  kind: string;
  purpose: SubmissionPurpose;
  /** The spec's `name`, when it has one. */
  name: string | null;
  status: string;
  /** The start of a failure or refusal message. */
  errorMessage: string | null;
  createdAt: Date;
  /** Macro-F1 and accuracy on the dataset's test split, from the run's newest report (null until it has one). */
  macroF1: number | null;
  accuracy: number | null;
}

/** Runs listed per dataset page. */
export const DATASET_RUNS_LIMIT = 100;

/**
 * The newest runs made on one student dataset, of its owner: practice runs, graded submissions on it
 * (`datasets: student` mode) and the platform's baseline, each marked by `purpose`, with its newest
 * report's test-split figures. Newest first, at most DATASET_RUNS_LIMIT.
 */
export async function datasetRuns(db: Db, input: { studentDatasetId: string; userId: string }): Promise<DatasetRunRow[]> {
  // The newest report's test-split metrics, one index probe per run listed (as latestReport does for scores).
  const newest = db
    .select({ all: sql`${reports.report} -> 'metrics' -> 'all'`.as("all_metrics") })
    .from(reports)
    .where(eq(reports.submissionId, submissions.id))
    .orderBy(desc(reports.run))
    .limit(1)
    .as("newest_report");
  const m = newest.all;
  const rows = await db
    .select({
      id: submissions.id,
      kind: submissions.kind,
      purpose: submissions.purpose,
      name: sql<string | null>`${submissions.spec}->>'name'`,
      status: submissions.status,
      errorMessage: sql<string | null>`left(${submissions.errorMessage}, 300)`,
      createdAt: submissions.createdAt,
      macroF1: sql<number | null>`(${m} -> 'macro' ->> 'f1')::float8`,
      accuracy: sql<number | null>`(${m} ->> 'accuracy')::float8`,
    })
    .from(submissions)
    .leftJoinLateral(newest, sql`true`)
    .where(and(
      eq(submissions.studentDatasetId, input.studentDatasetId),
      // The platform's baseline belongs to nobody's history but is shown on its dataset; everything else is the owner's.
      sql`(${submissions.userId} = ${input.userId} or ${submissions.purpose} = 'baseline')`,
    ))
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(DATASET_RUNS_LIMIT);
  return rows.map((r) => ({ ...r, macroF1: r.macroF1 === null ? null : Number(r.macroF1), accuracy: r.accuracy === null ? null : Number(r.accuracy) }));
}
