import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { assignments, studentDatasets, users } from "@/db/schema";
import { ownDatasetQualitySchema, ownDatasetSplitSchema, type OwnDatasetQuality, type OwnDatasetSplitDoc } from "@/grader/data/own-dataset-contract";
import { NotFoundError } from "@/lib/errors";

/** A student's dataset with its documents parsed (ownDatasetSplitSchema, ownDatasetQualitySchema). */
export interface OwnDatasetRow {
  id: string;
  courseId: string;
  assignmentId: string;
  assignmentNumber: number;
  assignmentTitle: string;
  userId: string;
  ownerName: string;
  ownerEmail: string;
  name: string;
  blobKey: string;
  thumbnailsKey: string | null;
  inputSize: number;
  channels: number;
  classes: string[];
  classCounts: number[];
  imageCount: number;
  split: OwnDatasetSplitDoc;
  quality: OwnDatasetQuality;
  createdAt: Date;
}

/**
 * The dataset `id` of course `courseId`, with its owner and assignment. Who may see it is the caller's rule
 * (domain/own-datasets/visible-own-dataset.ts).
 * @throws NotFoundError when the course has no such dataset
 */
export async function findOwnDataset(db: Db | Tx, courseId: string, id: string): Promise<OwnDatasetRow> {
  const [row] = await db
    .select({
      d: studentDatasets,
      assignmentNumber: assignments.number,
      assignmentTitle: assignments.title,
      ownerName: users.name,
      ownerEmail: users.email,
    })
    .from(studentDatasets)
    .innerJoin(assignments, eq(assignments.id, studentDatasets.assignmentId))
    .innerJoin(users, eq(users.id, studentDatasets.userId))
    .where(and(eq(studentDatasets.courseId, courseId), eq(studentDatasets.id, id)));
  if (!row) throw new NotFoundError("There is no such dataset.");
  const { d } = row;
  return {
    id: d.id,
    courseId: d.courseId,
    assignmentId: d.assignmentId,
    assignmentNumber: row.assignmentNumber,
    assignmentTitle: row.assignmentTitle,
    userId: d.userId,
    ownerName: row.ownerName ?? row.ownerEmail,
    ownerEmail: row.ownerEmail,
    name: d.name,
    blobKey: d.blobKey,
    thumbnailsKey: d.thumbnailsKey,
    inputSize: d.inputSize,
    channels: d.channels,
    classes: d.classes as string[],
    classCounts: d.classCounts as number[],
    imageCount: d.imageCount,
    split: ownDatasetSplitSchema.parse(d.split),
    quality: ownDatasetQualitySchema.parse(d.quality),
    createdAt: d.createdAt,
  };
}
