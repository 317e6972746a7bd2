import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { studentDatasets } from "@/db/schema";
import { selectOwnDatasets } from "./find-own-dataset";

export interface OwnDatasetListItem {
  id: string;
  name: string;
  userId: string;
  ownerName: string;
  assignmentNumber: number;
  inputSize: number;
  channels: number;
  classCount: number;
  imageCount: number;
  createdAt: Date;
}

/** The datasets of a course, newest first: one user's (`userId`), or everyone's (for its instructors). */
export async function listOwnDatasets(db: Db, courseId: string, userId?: string): Promise<OwnDatasetListItem[]> {
  const rows = await selectOwnDatasets(db, false)
    .where(userId ? and(eq(studentDatasets.courseId, courseId), eq(studentDatasets.userId, userId)) : eq(studentDatasets.courseId, courseId))
    .orderBy(desc(studentDatasets.createdAt), desc(studentDatasets.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    userId: r.userId,
    ownerName: r.ownerName ?? r.ownerEmail,
    assignmentNumber: r.assignmentNumber,
    inputSize: r.inputSize,
    channels: r.channels,
    classCount: (r.classes as string[]).length,
    imageCount: r.imageCount,
    createdAt: r.createdAt,
  }));
}
