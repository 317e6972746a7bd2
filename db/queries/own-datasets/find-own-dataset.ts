import { and, eq, getTableColumns, sql } from "drizzle-orm";
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

const { split: splitColumn, quality: qualityColumn, ...datasetColumns } = getTableColumns(studentDatasets);

/**
 * Students' datasets joined to their assignment and owner, for findOwnDataset and listOwnDatasets to filter. The split
 * and quality documents (a code per image) are read only `withDocuments`; otherwise they are null.
 */
export function selectOwnDatasets(db: Db | Tx, withDocuments: boolean) {
  return db
    .select({
      ...datasetColumns,
      assignmentNumber: assignments.number,
      assignmentTitle: assignments.title,
      ownerName: users.name,
      ownerEmail: users.email,
      split: (withDocuments ? sql`${splitColumn}` : sql`null`).mapWith(splitColumn),
      quality: (withDocuments ? sql`${qualityColumn}` : sql`null`).mapWith(qualityColumn),
    })
    .from(studentDatasets)
    .innerJoin(assignments, eq(assignments.id, studentDatasets.assignmentId))
    .innerJoin(users, eq(users.id, studentDatasets.userId));
}

/**
 * The dataset `id` of course `courseId`, with its owner and assignment. Who may see it is the caller's rule
 * (domain/own-datasets/visible-own-dataset.ts).
 * @throws NotFoundError when the course has no such dataset
 */
export async function findOwnDataset(db: Db | Tx, courseId: string, id: string): Promise<OwnDatasetRow> {
  const [row] = await selectOwnDatasets(db, true).where(and(eq(studentDatasets.courseId, courseId), eq(studentDatasets.id, id)));
  if (!row) throw new NotFoundError("There is no such dataset.");
  return {
    id: row.id,
    courseId: row.courseId,
    assignmentId: row.assignmentId,
    assignmentNumber: row.assignmentNumber,
    assignmentTitle: row.assignmentTitle,
    userId: row.userId,
    ownerName: row.ownerName ?? row.ownerEmail,
    ownerEmail: row.ownerEmail,
    name: row.name,
    blobKey: row.blobKey,
    thumbnailsKey: row.thumbnailsKey,
    inputSize: row.inputSize,
    channels: row.channels,
    classes: row.classes as string[],
    classCounts: row.classCounts as number[],
    imageCount: row.imageCount,
    split: ownDatasetSplitSchema.parse(row.split),
    quality: ownDatasetQualitySchema.parse(row.quality),
    createdAt: row.createdAt,
  };
}
