"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { defineAction } from "@/app/_lib/auth/action";
import { reportAssignmentFor, saveWrittenReport } from "@/domain/written-reports/written-report";
import { MAX_REPORT_CHARS } from "@/domain/written-reports/embeds";

/** The body is bounded here (a little over the rule's limit, so the rule's own message explains a long one). */
const saveInput = z.object({
  assignmentId: z.string().uuid("No such assignment."),
  body: z.string().max(MAX_REPORT_CHARS * 2, `A report holds at most ${MAX_REPORT_CHARS.toLocaleString("en-US")} characters.`),
  expectedUpdatedAt: z.string().datetime({ offset: true }).nullable(),
  handIn: z.boolean().default(false),
});

/**
 * A student saves the draft of their written report (or hands it in): embeds of runs that are not theirs
 * are refused (422, each line named), a handed-in report or one changed in another tab is a 409.
 */
export const saveWrittenReportAction = defineAction({ role: "any", input: saveInput }, async (input, user) => {
  const db = await getDb();
  const assignment = await reportAssignmentFor(db, input.assignmentId, user.id);
  return saveWrittenReport(db, { assignment, userId: user.id, body: input.body, expectedUpdatedAt: input.expectedUpdatedAt, handIn: input.handIn });
});
