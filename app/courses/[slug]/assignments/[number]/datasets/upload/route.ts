import { NextResponse } from "next/server";
import { withInstructor } from "@/app/_lib/http/route";
import { assignmentTaughtBy } from "@/app/_lib/auth/course-access";
import { getDb } from "@/db";
import { handleDatasetUpload } from "../decode-dataset-upload";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Upload a training or held-out set for this assignment: 401 signed out, 403 for students and for
 * instructors of other courses, 404 for an unknown course or assignment.
 */
export const POST = withInstructor<{ slug: string; number: string }>(async (req, { user, params }) => {
  const assignment = await assignmentTaughtBy(user, params);
  const result = await handleDatasetUpload(req, user, await getDb(), { assignmentId: assignment.id });
  return NextResponse.json(result, { status: 201 });
});
