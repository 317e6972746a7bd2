import { NextResponse } from "next/server";
import { withInstructor } from "@/app/_lib/http/route";
import { getDb } from "@/db";
import { handleDatasetUpload } from "../decode-dataset-upload";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ASSIGNMENT_NUMBER = 6;

/** Upload a training or held-out set for Assignment 6 (instructors only: 403 for students). */
export const POST = withInstructor(async (req, { user }) => {
  const result = await handleDatasetUpload(req, user, await getDb(), { assignmentNumber: ASSIGNMENT_NUMBER });
  return NextResponse.json(result, { status: 201 });
});
