import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { assignments, datasets } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { DatasetRef } from "@/grader/assignment/schema";
import { effectiveConfigOf } from "@/db/queries/assignments/effective-assignment-config";

export interface NewDataset {
  assignmentId: string;
  role: "train" | "heldout";
  /** What the instructor called it (the uploaded file's name). */
  name: string;
  /** The grader's reference: format, the blob key of the archive or folder, files. */
  ref: Extract<DatasetRef, { blob: string }>;
  classes: string[];
  classCounts: number[];
  exampleCount: number;
}

/**
 * Makes an uploaded, already-decoded dataset the assignment's training or held-out set: the new
 * `datasets` row, with the grader's reference to it, becomes the active one of its role. The
 * effective config (effective-assignment-config.ts), which the grader reads for every job, takes it
 * over assignment.yaml's; `assignments.config` is the file's alone and is not written here, so the
 * content sync cannot undo the upload. One transaction, so a job never sees half of it.
 * Submissions graded before keep their reports; regrade them to score them on the new data.
 */
export async function registerDataset(db: Db, input: NewDataset): Promise<string> {
  return db.transaction(async (tx) => {
    // Locked so two uploads of the same role cannot both end up active.
    const [row] = await tx
      .select({ id: assignments.id, config: assignments.config })
      .from(assignments)
      .where(eq(assignments.id, input.assignmentId))
      .for("update");
    if (!row) throw new NotFoundError("No such assignment.");
    const config = await effectiveConfigOf(tx, row);
    await tx
      .update(datasets)
      .set({ active: false })
      .where(and(eq(datasets.assignmentId, input.assignmentId), eq(datasets.role, input.role)));
    const [inserted] = await tx
      .insert(datasets)
      .values({
        assignmentId: input.assignmentId,
        role: input.role,
        name: input.name,
        format: input.ref.format,
        blobKey: input.ref.blob,
        ref: input.ref,
        classes: input.classes,
        classCounts: input.classCounts,
        exampleCount: input.exampleCount,
        ...(input.role === "heldout" ? { splitSeed: config.splitSeed, publicFraction: config.publicFraction } : {}),
        active: true,
      })
      .returning({ id: datasets.id });
    return inserted!.id;
  });
}
