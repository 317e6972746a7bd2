import type { Db } from "@/db";
import { findWrittenReport, storeWrittenReport, type WrittenReportRow } from "@/db/queries/written-reports/written-reports";
import { embeddableRunViews } from "@/domain/runs/load-runs";
import type { RunView } from "@/domain/runs/run-view";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { courseRoleOf } from "@/db/queries/courses/course-access";
import { embeddedRunIds, MAX_REPORT_CHARS, parseReport, type ParsedReport } from "./embeds";

/**
 * The written report a student writes on the platform (Markdown with embedded runs), saved as a draft
 * and handed in once. Handing in locks it: the instructor grades the text they read, so a change after
 * hand-in is refused (409), not applied.
 */

/** What the editor and the pages know of a report (timestamps as ISO text, for the browser). */
export interface WrittenReportState {
  body: string;
  /** When it was last stored; the next save must name it (null: nothing stored yet). */
  updatedAt: string | null;
  handedInAt: string | null;
}

export const emptyReportState: WrittenReportState = { body: "", updatedAt: null, handedInAt: null };

function stateOf(row: WrittenReportRow | null): WrittenReportState {
  if (!row) return emptyReportState;
  return { body: row.body, updatedAt: row.updatedAt.toISOString(), handedInAt: row.handedInAt?.toISOString() ?? null };
}

const short = (id: string) => `${id.slice(0, 8)}…`;

/**
 * Checks every embed of a body against the runs its author may embed — their own runs in this course
 * that have a report — and that each comparison's runs share their data and classes.
 * Returns the parsed body and the views of the runs it embeds.
 * @throws ValidationError listing every bad line (malformed, another student's or an unknown run, a comparison across datasets)
 */
export async function checkReportEmbeds(db: Db, owner: { userId: string; courseId: string }, body: string): Promise<{ parsed: ParsedReport; runs: Record<string, RunView> }> {
  const parsed = parseReport(body);
  const runs = await embeddableRunViews(db, owner, embeddedRunIds(parsed));
  const issues = parsed.problems.map((p) => ({ path: "body", message: p.message }));
  for (const e of parsed.embeds) {
    const missing = e.ids.filter((id) => !runs[id]);
    if (missing.length) {
      for (const id of missing) {
        issues.push({ path: "body", message: `Line ${e.line}: no run of yours has the id ${short(id)} — a report embeds only your own runs in this course, graded or practice (pick one with "Insert a run").` });
      }
      continue;
    }
    if (e.kind === "compare") {
      const views = e.ids.map((id) => runs[id]!);
      if (new Set(views.map((v) => v.dataset.key)).size > 1) {
        issues.push({ path: "body", message: `Line ${e.line}: these runs were trained on different datasets (${[...new Set(views.map((v) => v.dataset.name))].join(", ")}); compare runs on the same dataset.` });
      } else if (new Set(views.map((v) => JSON.stringify(v.classes))).size > 1) {
        issues.push({ path: "body", message: `Line ${e.line}: these runs were scored on different classes, so they cannot be compared.` });
      }
    }
  }
  if (issues.length) throw new ValidationError(issues.length === 1 ? issues[0]!.message : `${issues[0]!.message} (and ${issues.length - 1} more)`, issues);
  return { parsed, runs };
}

/**
 * Saves a student's report (and with `handIn`, hands it in). The body is bounded, its embeds checked,
 * and it is stored only over the version the student's editor started from.
 * @throws ValidationError (too long, empty hand-in, bad embeds); ConflictError (handed in already, or changed elsewhere)
 */
export async function saveWrittenReport(
  db: Db,
  input: { assignment: { id: string; courseId: string }; userId: string; body: string; expectedUpdatedAt: string | null; handIn: boolean; now?: Date },
): Promise<WrittenReportState> {
  if (input.body.length > MAX_REPORT_CHARS) {
    throw new ValidationError(`A report holds at most ${MAX_REPORT_CHARS.toLocaleString("en-US")} characters; this one has ${input.body.length.toLocaleString("en-US")}.`, [{ path: "body", message: "The report is too long." }]);
  }
  if (input.handIn && !input.body.trim()) throw new ValidationError("Write your report before handing it in.", [{ path: "body", message: "The report is empty." }]);
  await checkReportEmbeds(db, { userId: input.userId, courseId: input.assignment.courseId }, input.body);
  const expected = input.expectedUpdatedAt === null ? null : new Date(input.expectedUpdatedAt);
  if (expected && Number.isNaN(expected.getTime())) throw new ValidationError("The report's version is not a date.", [{ path: "expectedUpdatedAt", message: "Not a date." }]);
  const now = input.now ?? new Date();
  const row = await storeWrittenReport(db, { assignmentId: input.assignment.id, userId: input.userId, body: input.body, now, expectedUpdatedAt: expected, handIn: input.handIn });
  if (row) return stateOf(row);
  const current = await findWrittenReport(db, input.assignment.id, input.userId);
  if (current?.handedInAt) {
    throw new ConflictError(`You handed this report in on ${current.handedInAt.toUTCString()}; a handed-in report can no longer be changed.`);
  }
  throw new ConflictError(
    `Not saved: this report was changed elsewhere (another tab or device) at ${current?.updatedAt.toUTCString() ?? "an unknown time"}. Copy your text, reload the page to see that version, and merge your changes.`,
  );
}

/**
 * The assignment a student writes a report for, if they may: a student of its course.
 * @throws NotFoundError (unknown assignment), ForbiddenError (not a student of the course)
 */
export async function reportAssignmentFor(db: Db, assignmentId: string, userId: string): Promise<{ id: string; courseId: string }> {
  let assignment;
  try {
    assignment = await findAssignmentById(db, assignmentId);
  } catch (e) {
    if (e instanceof NotFoundError) throw new NotFoundError("No such assignment.");
    throw e;
  }
  if ((await courseRoleOf(db, assignment.courseId, userId)) !== "student") {
    throw new ForbiddenError("Only the students of this course write a report for this assignment.");
  }
  return { id: assignment.id, courseId: assignment.courseId };
}

/** A student's report as stored (or the empty state), for their editor. */
export async function writtenReportState(db: Db, assignmentId: string, userId: string): Promise<WrittenReportState> {
  return stateOf(await findWrittenReport(db, assignmentId, userId));
}

/**
 * A student's report for reading (the instructor beside the rubric, the student after hand-in): its text
 * and the views of the runs it embeds that are its author's to embed — any other is left out, so it is
 * never drawn. Null when the student has written nothing.
 */
export async function writtenReportForReading(
  db: Db,
  input: { assignmentId: string; courseId: string; ownerId: string },
): Promise<{ state: WrittenReportState; runs: Record<string, RunView> } | null> {
  const row = await findWrittenReport(db, input.assignmentId, input.ownerId);
  if (!row || !row.body.trim()) return null;
  const runs = await embeddableRunViews(db, { userId: input.ownerId, courseId: input.courseId }, embeddedRunIds(parseReport(row.body)));
  return { state: stateOf(row), runs };
}

/** Whether the student has handed in a report written on the platform for this assignment. */
export async function hasHandedInWrittenReport(db: Db, assignmentId: string, userId: string): Promise<boolean> {
  return Boolean((await findWrittenReport(db, assignmentId, userId))?.handedInAt);
}
