import { withUser } from "@/app/_lib/http/route";
import { courseViewer } from "@/app/_lib/auth/course-access";
import { NotFoundError } from "@/lib/errors";
import { getDb } from "@/db";
import { getSubmissionDetail } from "@/db/queries/submissions/submission-detail";
import { streamOf } from "@/grader/storage/blob-store";
import { BlobNotFoundError } from "@/lib/blobs/blob-store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The written report attached to a submission, for its owner and its course's instructors (404 for anyone else,
 * as for the submission itself). Served as a download with its checked type, never sniffed.
 */
export const GET = withUser<{ id: string }>(async (_req, { user, params }) => {
  const { submission } = await getSubmissionDetail(await getDb(), await courseViewer(user, { submissionId: params.id }), params.id);
  if (!submission.writtenReportKey) throw new NotFoundError("This submission has no written report.");
  let body: ReadableStream<Uint8Array>;
  try {
    body = await streamOf(submission.writtenReportKey);
  } catch (e) {
    if (!(e instanceof BlobNotFoundError)) throw e;
    console.error(`[uploads] written report of ${submission.id} is missing:`, e.message);
    throw new NotFoundError("The written report file is missing; ask the student to upload it again.");
  }
  const pdf = submission.writtenReportType === "pdf";
  return new Response(body, {
    headers: {
      "content-type": pdf ? "application/pdf" : "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="report-${submission.id.slice(0, 8)}.${pdf ? "pdf" : "md"}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
});
