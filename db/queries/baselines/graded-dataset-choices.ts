import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { studentDatasets } from "@/db/schema";

/** One of a student's datasets as the submit form offers it. */
export interface GradedDatasetChoiceRow {
  id: string;
  name: string;
  classes: string[];
  inputSize: number;
  channels: number;
  imageCount: number;
}

/** A student's own datasets uploaded for one assignment, newest first: what a graded submission to it may name. */
export async function gradedDatasetChoiceRows(db: Db, assignmentId: string, userId: string): Promise<GradedDatasetChoiceRow[]> {
  const rows = await db
    .select({
      id: studentDatasets.id, name: studentDatasets.name, classes: studentDatasets.classes, inputSize: studentDatasets.inputSize,
      channels: studentDatasets.channels, imageCount: studentDatasets.imageCount,
    })
    .from(studentDatasets)
    .where(and(eq(studentDatasets.assignmentId, assignmentId), eq(studentDatasets.userId, userId)))
    .orderBy(desc(studentDatasets.createdAt), desc(studentDatasets.id));
  return rows.map((r) => ({ ...r, classes: r.classes as string[] }));
}
