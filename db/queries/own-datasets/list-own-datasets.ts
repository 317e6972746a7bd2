import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, studentDatasets, users } from "@/db/schema";

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
  const rows = await db
    .select({
      id: studentDatasets.id,
      name: studentDatasets.name,
      userId: studentDatasets.userId,
      ownerName: users.name,
      ownerEmail: users.email,
      assignmentNumber: assignments.number,
      inputSize: studentDatasets.inputSize,
      channels: studentDatasets.channels,
      classes: studentDatasets.classes,
      imageCount: studentDatasets.imageCount,
      createdAt: studentDatasets.createdAt,
    })
    .from(studentDatasets)
    .innerJoin(assignments, eq(assignments.id, studentDatasets.assignmentId))
    .innerJoin(users, eq(users.id, studentDatasets.userId))
    .where(userId ? and(eq(studentDatasets.courseId, courseId), eq(studentDatasets.userId, userId)) : eq(studentDatasets.courseId, courseId))
    .orderBy(desc(studentDatasets.createdAt), desc(studentDatasets.id));
  return rows.map(({ ownerEmail, classes, ...r }) => ({ ...r, ownerName: r.ownerName ?? ownerEmail, classCount: (classes as string[]).length }));
}
