import { courseViewer } from "@/app/_lib/auth/course-access";
import { withUser } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { findCourseBySlug } from "@/db/queries/courses/course-access";
import { visibleOwnDataset } from "@/domain/own-datasets/visible-own-dataset";
import { thumbnailIndices } from "@/grader/data/own-dataset-contract";
import { blobStore } from "@/grader/storage/blob-store";
import { folderKey } from "@/lib/blobs/blob-key";
import { BlobNotFoundError } from "@/lib/blobs/blob-store";
import { NotFoundError } from "@/lib/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * One thumbnail of a dataset's quality panel (`<index>.png`, an index its quality document names), for its owner and
 * the course's instructors; 404 for anyone else and for an index that has no thumbnail.
 */
export const GET = withUser<{ slug: string; datasetId: string; image: string }>(async (_req, { user, params }) => {
  const db = await getDb();
  const course = await findCourseBySlug(db, params.slug);
  const dataset = await visibleOwnDataset(db, await courseViewer(user, { courseId: course.id }), course.id, params.datasetId);
  const m = /^(\d{1,6})\.png$/.exec(params.image);
  const index = m ? Number(m[1]) : NaN;
  if (!dataset.thumbnailsKey || !thumbnailIndices(dataset.quality).has(index)) throw new NotFoundError("There is no such thumbnail.");
  const body = await blobStore().stream(folderKey(dataset.thumbnailsKey, `${index}.png`)).catch((e: unknown) => {
    if (e instanceof BlobNotFoundError) throw new NotFoundError("There is no such thumbnail.");
    throw e;
  });
  return new Response(body, {
    headers: { "content-type": "image/png", "cache-control": "private, max-age=86400", "x-content-type-options": "nosniff" },
  });
});
