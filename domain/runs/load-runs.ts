import { z } from "zod";
import type { Db } from "@/db";
import { newestReports, runRows, studentDatasetOwner, type RunRow } from "@/db/queries/runs/run-rows";
import { courseRoleOf } from "@/db/queries/courses/course-access";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { MAX_COMPARED_RUNS, MIN_COMPARED_RUNS, runViewOf, type RunView } from "./run-view";

export { MAX_COMPARED_RUNS, MIN_COMPARED_RUNS };


const uuid = z.string().uuid();

/**
 * The `runs` of a compare address, as the browser sent it: `runs=a,b` or `runs=a&runs=b` (a form's
 * checkboxes). The raw text is bounded before it is split; the ids must be 2–6 distinct run ids.
 * @throws ValidationError naming what is wrong
 */
export function parseRunIds(raw: string | string[] | undefined): string[] {
  const text = (Array.isArray(raw) ? raw.join(",") : raw ?? "").slice(0, 2000);
  if (!text.trim()) throw new ValidationError(`Pick at least ${MIN_COMPARED_RUNS} runs to compare.`, [{ path: "runs", message: `Pick at least ${MIN_COMPARED_RUNS} runs to compare.` }]);
  const parts = text.split(",").map((s) => s.trim()).filter(Boolean);
  const fail = (message: string) => new ValidationError(message, [{ path: "runs", message }]);
  if (parts.length > MAX_COMPARED_RUNS) throw fail(`A comparison holds at most ${MAX_COMPARED_RUNS} runs; ${parts.length} were picked.`);
  const bad = parts.find((p) => !uuid.safeParse(p).success);
  if (bad !== undefined) throw fail(`"${bad.slice(0, 60)}" is not a run id.`);
  const ids = [...new Set(parts.map((p) => p.toLowerCase()))];
  if (ids.length < MIN_COMPARED_RUNS) throw fail(`Pick at least ${MIN_COMPARED_RUNS} different runs to compare.`);
  return ids;
}

/** Who is looking at runs: their account id, and whether the account is an instructor (per course, checked here). */
export interface RunViewer {
  id: string;
  role: "student" | "instructor";
}

/**
 * Whether the viewer may see this run: their own, or a run in a course they teach. A student's runs
 * are nobody else's business; an instructor of another course is refused like a student.
 */
async function maySee(db: Db, viewer: RunViewer, row: RunRow, taught: Map<string, boolean>): Promise<boolean> {
  if (row.userId === viewer.id) return true;
  if (viewer.role !== "instructor") return false;
  if (!taught.has(row.courseId)) taught.set(row.courseId, (await courseRoleOf(db, row.courseId, viewer.id)) === "instructor");
  return taught.get(row.courseId)!;
}

const idText = (id: string) => `${id.slice(0, 8)}…`;

/**
 * The runs of a comparison, in the order asked, for a viewer who may see every one of them: each an
 * existing submission of theirs (or of a student of a course they teach) with a report, all on the same
 * data. With `datasetId` (the compare page under a dataset) that dataset must be visible to the viewer
 * and every run must have been trained on it.
 * @throws NotFoundError when a run or the dataset is unknown or not the viewer's to see (which of the two is not said);
 * ValidationError for runs on different data, without a report, or on different classes
 */
export async function loadComparedRuns(db: Db, viewer: RunViewer, ids: string[], opts: { datasetId?: string; courseId?: string } = {}): Promise<RunView[]> {
  const taught = new Map<string, boolean>();
  if (opts.datasetId !== undefined) {
    const ds = uuid.safeParse(opts.datasetId).success ? await studentDatasetOwner(db, opts.datasetId) : null;
    const visible =
      ds &&
      (opts.courseId === undefined || ds.courseId === opts.courseId) &&
      (ds.userId === viewer.id || (viewer.role === "instructor" && (await courseRoleOf(db, ds.courseId, viewer.id)) === "instructor"));
    if (!visible) throw new NotFoundError("No such dataset.");
  }
  const rows = new Map((await runRows(db, ids)).map((r) => [r.id, r]));
  const ordered: RunRow[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (!row || !(await maySee(db, viewer, row, taught)) || (opts.courseId !== undefined && row.courseId !== opts.courseId)) {
      throw new NotFoundError(`No run ${idText(id)} of yours exists.`);
    }
    ordered.push(row);
  }
  const issues: { path: string; message: string }[] = [];
  for (const row of ordered) {
    if (row.status !== "succeeded" || !row.hasReport) issues.push({ path: "runs", message: `Run ${idText(row.id)} has no report yet (it is ${row.status}); compare it once it is graded.` });
    else if (opts.datasetId !== undefined && row.studentDatasetId !== opts.datasetId) {
      issues.push({ path: "runs", message: `Run ${idText(row.id)} was trained on ${row.datasetName}, not on this dataset: only runs on the same dataset can be compared.` });
    }
  }
  const key = (r: RunRow) => r.studentDatasetId ?? `assignment:${r.assignmentId}`;
  if (!issues.length && new Set(ordered.map(key)).size > 1) {
    issues.push({ path: "runs", message: `These runs were trained on different datasets (${[...new Set(ordered.map((r) => r.datasetName))].join(", ")}): only runs on the same dataset can be compared.` });
  }
  if (issues.length) throw new ValidationError(issues[0]!.message, issues);
  const docs = await newestReports(db, ids);
  const views = ordered.map((row) => runViewOf(row, { name: row.datasetName }, docs.get(row.id)!));
  const classes = JSON.stringify(views[0]!.classes);
  if (views.some((v) => JSON.stringify(v.classes) !== classes)) {
    throw new ValidationError("These runs were scored on different classes, so their figures cannot be set side by side.", [{ path: "runs", message: "These runs were scored on different classes." }]);
  }
  return views;
}

/**
 * Views of whichever of these runs the owner may embed (their own, in this course, with a report), by id;
 * the rest are left out, so a written report never renders a run that is not its author's.
 */
export async function embeddableRunViews(db: Db, owner: { userId: string; courseId: string }, ids: readonly string[]): Promise<Record<string, RunView>> {
  const rows = (await runRows(db, ids)).filter((r) => r.userId === owner.userId && r.courseId === owner.courseId && r.status === "succeeded" && r.hasReport);
  const docs = await newestReports(db, rows.map((r) => r.id));
  const out: Record<string, RunView> = {};
  for (const r of rows) {
    const doc = docs.get(r.id);
    if (doc) out[r.id] = runViewOf(r, { name: r.datasetName }, doc);
  }
  return out;
}
