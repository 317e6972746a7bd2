import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reports, submissions } from "@/db/schema";
import type { TrainedKind } from "@/grader/contracts/submission-status";
import { trainingThroughputSchema, type TrainingThroughput } from "@/grader/contracts/training-throughput";

/** Recent reports a measurement is taken over: the machine changes, old speeds stop meaning much. */
const RECENT_REPORTS = 20;

/**
 * How fast this assignment's recent jobs of one kind trained, per compute backend: the median of
 * images per second × FLOPs per image over the last 20 reports that trained. Transfer jobs are
 * measured apart from CNNs (a frozen base costs FLOPs it trains no weights for). Practice runs on
 * students' own datasets count too: FLOPs per second measure the machine, whatever the images.
 * @see ../../../grader/contracts/training-throughput.ts
 */
export async function getTrainingThroughput(db: Db, assignmentId: string, kind: TrainedKind): Promise<TrainingThroughput> {
  const imagesPerSecond = sql<number>`(${reports.report} -> 'training' ->> 'imagesPerSecond')::float8`;
  const flopsPerImage = sql<number>`(${reports.report} -> 'model' ->> 'flopsPerImage')::float8`;
  const recent = db
    .select({ backend: sql<string>`${reports.report} ->> 'backend'`.as("backend"), flopsPerSecond: sql<number>`${imagesPerSecond} * ${flopsPerImage}`.as("flops_per_second") })
    .from(reports)
    .innerJoin(submissions, eq(submissions.id, reports.submissionId))
    .where(and(eq(submissions.assignmentId, assignmentId), eq(submissions.kind, kind), isNotNull(sql`${reports.report} -> 'training' ->> 'imagesPerSecond'`)))
    .orderBy(desc(reports.createdAt))
    .limit(RECENT_REPORTS)
    .as("recent");
  const rows = await db
    .select({
      backend: recent.backend,
      trainFlopsPerSecond: sql<number>`percentile_cont(0.5) within group (order by ${recent.flopsPerSecond})`.mapWith(Number),
      jobs: sql<number>`count(*)`.mapWith(Number),
    })
    .from(recent)
    .where(sql`${recent.flopsPerSecond} > 0`)
    .groupBy(recent.backend);
  return trainingThroughputSchema.parse(Object.fromEntries(rows.map((r) => [r.backend, { trainFlopsPerSecond: r.trainFlopsPerSecond, jobs: r.jobs }])));
}
