import { NextResponse } from "next/server";
import { courseViewer } from "@/app/_lib/auth/course-access";
import { withUser } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { findCourseBySlug } from "@/db/queries/courses/course-access";
import { deleteOwnDataset } from "@/domain/own-datasets/delete-own-dataset";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Delete a dataset of one's own (its owner, or an instructor of the course): 404 for anyone else and for an unknown
 * dataset, 409 while a graded submission uses it or one of its runs is queued or running.
 */
export const DELETE = withUser<{ slug: string; datasetId: string }>(async (_req, { user, params }) => {
  const db = await getDb();
  const course = await findCourseBySlug(db, params.slug);
  const viewer = await courseViewer(user, { courseId: course.id });
  const deleted = await deleteOwnDataset(db, viewer, course.id, params.datasetId);
  return NextResponse.json({ id: deleted.id, practiceRunsDeleted: deleted.practiceRunsDeleted });
});
