import { NextResponse } from "next/server";
import { withUser } from "@/app/_lib/http/route";
import { handleOwnDatasetUpload } from "@/app/courses/[slug]/datasets/upload-own-dataset";
import { getDb } from "@/db";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Upload a dataset of one's own (multipart: archive, name, inputSize, colour) for assignment `?assignment=N`:
 * 401 signed out, 403 for someone not in the course, 404 for an unknown course, 413 past the size cap, 422 naming
 * the field (and the folder or file of the zip) for anything else wrong; 201 with the new dataset's id.
 */
export const POST = withUser<{ slug: string }>(async (req, { user, params }) => {
  const result = await handleOwnDatasetUpload(req, user, await getDb(), { slug: params.slug });
  return NextResponse.json(result, { status: 201 });
});
