import type { Db } from "@/db";
import { findOwnDataset, type OwnDatasetRow } from "@/db/queries/own-datasets/find-own-dataset";
import { listOwnDatasets, type OwnDatasetListItem } from "@/db/queries/own-datasets/list-own-datasets";
import { NotFoundError } from "@/lib/errors";

/** Who is looking, as the course sees them (app/_lib/auth/course-access.ts courseViewer): instructor only of this course. */
export interface DatasetViewer {
  id: string;
  role: "student" | "instructor";
}

/**
 * The one rule on who sees a student's own dataset: its owner, and the instructors of its course. Anyone else —
 * another student, an instructor of another course (who is a "student" to this course) — gets the same 404 as for a
 * dataset that does not exist, so its existence is not revealed.
 * @throws NotFoundError
 */
export async function visibleOwnDataset(db: Db, viewer: DatasetViewer, courseId: string, datasetId: string): Promise<OwnDatasetRow> {
  const row = await findOwnDataset(db, courseId, datasetId);
  if (viewer.role !== "instructor" && row.userId !== viewer.id) throw new NotFoundError("There is no such dataset.");
  return row;
}

/** The datasets a viewer sees on "My datasets": their own, or, for the course's instructors, everyone's. */
export function visibleOwnDatasets(db: Db, viewer: DatasetViewer, courseId: string): Promise<OwnDatasetListItem[]> {
  return listOwnDatasets(db, courseId, viewer.role === "instructor" ? undefined : viewer.id);
}
