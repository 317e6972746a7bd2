import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { assignments, datasets, heldoutSplits } from "@/db/schema";
import { assignmentSchema, datasetRefSchema, STUDENT_DATASETS, type AssignmentConfig, type DatasetRef } from "@/grader/assignment/schema";

/**
 * The config every reader of an assignment uses — the submit path, the grading worker, the pages,
 * the leaderboard and the gradebook — and the only place that interprets `assignments.config`.
 *
 * `assignments.config` has one writer, the content sync, which rewrites it from assignment.yaml
 * whenever the file changes. What an instructor chose lives in rows the sync never touches: the
 * active `datasets` row of each role (an uploaded training or held-out set) and the `heldout_splits`
 * row (the public/private split). They are merged over the file's values here, so editing the YAML
 * and restarting no longer undoes an upload or a split.
 */
export async function effectiveAssignmentConfig(db: Db | Tx, assignmentId: string): Promise<AssignmentConfig | undefined> {
  const [row] = await db.select({ id: assignments.id, config: assignments.config }).from(assignments).where(eq(assignments.id, assignmentId));
  return row ? effectiveConfigOf(db, row) : undefined;
}

/** The effective config of an assignment row already read (its stored config and id). */
export async function effectiveConfigOf(db: Db | Tx, row: { id: string; config: unknown }): Promise<AssignmentConfig> {
  const [active, [split]] = await Promise.all([
    db
      .select({ role: datasets.role, ref: datasets.ref, format: datasets.format, blobKey: datasets.blobKey })
      .from(datasets)
      .where(and(eq(datasets.assignmentId, row.id), eq(datasets.active, true))),
    db
      .select({ publicFraction: heldoutSplits.publicFraction, splitSeed: heldoutSplits.splitSeed })
      .from(heldoutSplits)
      .where(eq(heldoutSplits.assignmentId, row.id)),
  ]);
  return withInstructorChoices(row.id, row.config, {
    datasets: Object.fromEntries(active.map((d) => [d.role, uploadedRef(row.id, d)])),
    split: split ?? null,
  });
}

export interface InstructorChoices {
  /** The active uploaded set of each role; a role without one keeps assignment.yaml's. */
  datasets: Partial<Record<"train" | "heldout", DatasetRef>>;
  /** The chosen split; null keeps assignment.yaml's publicFraction and splitSeed. */
  split: { publicFraction: number; splitSeed: number } | null;
}

/**
 * assignment.yaml's config as stored, validated by the grader's own schema, with the instructor's
 * choices over it.
 * @throws Error when the stored config does not parse (a sync from an incompatible version).
 */
export function withInstructorChoices(assignmentId: string, stored: unknown, choices: InstructorChoices): AssignmentConfig {
  // A stored config may carry the folder it was loaded from; the folder is resolved on each host.
  const { dir: _dir, ...file } = (stored ?? {}) as Record<string, unknown>;
  const parsed = assignmentSchema.safeParse(file);
  if (!parsed.success) throw new Error(`assignment ${assignmentId} has an invalid stored config: ${parsed.error.message}`);
  const config = parsed.data;
  return {
    ...config,
    // `datasets: student` has no sets of its own for an upload to replace: each run names a student's dataset.
    datasets: config.datasets === STUDENT_DATASETS ? config.datasets : { ...config.datasets, ...choices.datasets },
    ...(choices.split ? { publicFraction: choices.split.publicFraction, splitSeed: choices.split.splitSeed } : {}),
  };
}

/**
 * The grader's reference to an uploaded dataset row. Rows uploaded before the `ref` column have
 * only format and blob path; the upload always named IDX files `images-idx3`/`labels-idx1`.
 * @throws Error when the row holds no usable reference: falling back to the YAML's set silently
 *   would grade on data the instructor replaced.
 */
function uploadedRef(assignmentId: string, d: { role: string; ref: unknown; format: string; blobKey: string | null }): DatasetRef {
  const legacy = { format: d.format, path: d.blobKey, ...(d.format === "mnist-idx" ? { files: ["images-idx3", "labels-idx1"] } : {}) };
  const parsed = datasetRefSchema.safeParse(d.ref ?? legacy);
  if (!parsed.success) throw new Error(`assignment ${assignmentId}: the active ${d.role} dataset has no usable reference: ${parsed.error.message}`);
  return parsed.data;
}
