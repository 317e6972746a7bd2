"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { embeddableRunViews } from "@/domain/runs/load-runs";
import { reportAssignmentFor } from "@/domain/written-reports/written-report";
import { MAX_EMBEDS } from "@/domain/written-reports/embeds";
import { MAX_COMPARED_RUNS } from "@/domain/runs/run-view";

const previewInput = z.object({
  assignmentId: z.string().uuid("No such assignment."),
  ids: z.array(z.string().uuid()).max(MAX_EMBEDS * MAX_COMPARED_RUNS),
});

/** The editor's preview asks for the runs its text embeds: only the student's own come back (the rest are left out). */
export const previewRunsAction = defineAction({ role: "any", input: previewInput }, async (input, user) => {
  const db = await getDb();
  const assignment = await reportAssignmentFor(db, input.assignmentId, user.id);
  return embeddableRunViews(db, { userId: user.id, courseId: assignment.courseId }, [...new Set(input.ids.map((i) => i.toLowerCase()))]);
});
