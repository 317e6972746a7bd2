import type { Db } from "@/db";
import { studentDatasets } from "@/db/schema";
import type { OwnDatasetQuality, OwnDatasetSplitDoc } from "@/grader/data/own-dataset-contract";

export interface NewOwnDataset {
  courseId: string;
  assignmentId: string;
  userId: string;
  name: string;
  blobKey: string;
  thumbnailsKey: string | null;
  inputSize: number;
  channels: 1 | 3;
  classes: string[];
  classCounts: number[];
  split: OwnDatasetSplitDoc;
  quality: OwnDatasetQuality;
}

/** Stores an inspected own dataset; returns its id. */
export async function insertOwnDataset(db: Db, row: NewOwnDataset): Promise<string> {
  const [inserted] = await db
    .insert(studentDatasets)
    .values({
      ...row,
      imageCount: row.split.parts.length,
      splitSeed: row.split.seed,
    })
    .returning({ id: studentDatasets.id });
  return inserted!.id;
}
